namespace AzureWorkloadIdentity.Sandbox.Kubelet.Containers;

/// <summary>
/// Chooses how the sandbox kubelet runs containers: as OCI containers when podman works here (probed once per
/// process), as local processes otherwise. <see cref="ModeVariable"/> forces either (<c>podman</c> or
/// <c>process</c>), for tests and for machines where the probe guesses wrong.
/// </summary>
public static class ContainerRuntimeSelector
{
    /// <summary>The environment variable that forces a mode: <c>podman</c>, <c>process</c> or <c>auto</c> (the default).</summary>
    public const string ModeVariable = "AZWI_SANDBOX_CONTAINER_RUNTIME";

    /// <summary>The command that installs podman and runc (and everything else the sandbox needs).</summary>
    public const string InstallCommand = "bash scripts/install-prereqs.sh (apt-get install -y podman runc)";

    private static readonly Lazy<string?> Probe = new(ProbePodman);

    /// <summary>Why containers cannot run here (a line naming what is missing and how to install it), or null when they can.</summary>
    public static string? PodmanUnavailableReason => Probe.Value;

    /// <summary>True when the kubelet should run OCI containers; <paramref name="note"/> is the one line to print about the choice.</summary>
    /// <exception cref="InvalidOperationException">The variable has a value other than podman, process or auto.</exception>
    public static bool UseContainers(out string note)
    {
        var forced = Environment.GetEnvironmentVariable(ModeVariable)?.Trim().ToLowerInvariant();
        switch (forced)
        {
            case "process":
                note = $"kubelet: containers run as local processes ({ModeVariable}=process)";
                return false;
            case "podman":
                note = $"kubelet: containers run as OCI containers with podman ({ModeVariable}=podman)";
                return true;
            case null or "" or "auto":
                break;
            default:
                throw new InvalidOperationException($"{ModeVariable}=\"{forced}\" is not a container runtime mode; use podman, process or auto");
        }

        if (PodmanUnavailableReason is { } reason)
        {
            note = $"kubelet: containers run as local processes: {reason}";
            return false;
        }

        note = "kubelet: containers run as OCI containers with podman (runc), from the images in the local store";
        return true;
    }

    private static string? ProbePodman()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "OCI containers need Linux with podman; this is not Linux";
        }

        if (PodNetwork.UnsupportedReason is { } network)
        {
            return $"OCI containers need pod networks and {network}";
        }

        if (ProgramProbe.ExitCode(Podman.Program, "--version") != 0)
        {
            return $"podman is missing or broken; install it: {InstallCommand}";
        }

        if (ProgramProbe.ExitCode("runc", "--version") != 0)
        {
            return $"runc is missing (podman's crun fails on these hosts); install it: {InstallCommand}";
        }

        return ProgramProbe.ExitCode(Podman.Program, "info", "--format", "{{.Store.GraphRoot}}") == 0
            ? null
            : $"podman is installed but 'podman info' fails; repair it or reinstall: {InstallCommand}";
    }
}
