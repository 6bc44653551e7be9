using System.Diagnostics;

namespace AzureWorkloadIdentity.Sandbox.Kubelet.Containers;

/// <summary>
/// The podman command line as these machines need it: the runc runtime (the default crun fails with "cgroups in
/// hybrid mode not supported") and explicit ulimits (podman's defaults exceed what the machine allows, so setrlimit
/// fails in the container).
/// </summary>
internal static class Podman
{
    public const string Program = "podman";

    /// <summary>Every container the sandbox's kubelet makes carries this label, so leftovers can be found and removed.</summary>
    public const string SandboxLabel = "io.azure-workload-identity.sandbox";

    /// <summary>The label naming the kubelet that made a container.</summary>
    public const string KubeletLabel = "io.azure-workload-identity.sandbox.kubelet";

    public static readonly IReadOnlyList<string> RuntimeFlags =
        ["--runtime", "runc", "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"];

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A podman process that has been started and not waited for (e.g. an attached <c>podman start</c>).</summary>
    /// <param name="beforeStop">Runs before the process is stopped (see <see cref="LocalProcess.BeforeStop"/>).</param>
    public static LocalProcess Start(string name, IEnumerable<string> arguments, IEnumerable<string>? preamble = null, Func<TimeSpan?, Task>? beforeStop = null)
    {
        var start = new ProcessStartInfo(Program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new LocalProcess(name, start, preamble ?? []) { BeforeStop = beforeStop };
    }

    /// <summary>Runs a podman command to its end (bounded) and returns its exit code and output.</summary>
    public static async Task<ContainerRun> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var list = arguments.ToList();
        await using var process = Start($"podman {string.Join(' ', list.Take(2))}", list);
        return await process.WaitAsync(timeout ?? CommandTimeout, cancellationToken);
    }

    /// <summary>Runs a podman command and throws, naming the command and its output, when it fails.</summary>
    public static async Task<IReadOnlyList<string>> RunCheckedAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var list = arguments.ToList();
        var run = await RunAsync(list, cancellationToken);
        return run.ExitCode == 0
            ? run.Log
            : throw new IOException($"podman {string.Join(' ', list)} failed with exit code {run.ExitCode}: {string.Join(' ', run.Log).Trim()}");
    }
}
