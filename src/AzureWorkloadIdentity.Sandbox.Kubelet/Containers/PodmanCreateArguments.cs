using System.Globalization;
using System.Text.Json;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet.Containers;

/// <summary>
/// The <c>podman create</c> command line of one container of a pod, as a kubelet would configure the container: the
/// pod's network namespace (or the machine's network for a pod without one), its volumes bind-mounted at their real
/// <c>mountPath</c> with <c>readOnly</c>, env, command/args, <c>workingDir</c> and <c>securityContext</c>. The image
/// is never pulled (<c>--pull=never</c>): the sandbox runs the images built on this machine.
/// </summary>
public static class PodmanCreateArguments
{
    /// <summary>The arguments after <c>podman</c>.</summary>
    /// <param name="name">The podman container name.</param>
    /// <param name="kubeletId">The label value naming the kubelet, so its containers can be removed together.</param>
    /// <param name="environment">Variables every container gets (the container's own entries win).</param>
    /// <param name="files">Files of the machine every container gets, read-only.</param>
    public static IReadOnlyList<string> For(
        LocalPod pod, V1Container container, string name, string kubeletId,
        IReadOnlyDictionary<string, string> environment, IReadOnlyList<ContainerFile> files)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        List<string> arguments =
        [
            "create", "--name", name, .. Podman.RuntimeFlags, "--pull=never",
            "--label", $"{Podman.SandboxLabel}=true", "--label", $"{Podman.KubeletLabel}={kubeletId}",
            "--network", pod.Network is null ? "host" : $"ns:/run/netns/{pod.Network.Name}",
        ];

        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (!pod.VolumeDirectories.TryGetValue(mount.Name, out var directory))
            {
                throw new ContainerStartException(container.Name, "CreateContainerConfigError",
                    $"container \"{container.Name}\" mounts volume \"{mount.Name}\", which the pod does not define or the kubelet does not support");
            }

            var source = string.IsNullOrEmpty(mount.SubPath) ? directory : Path.Combine(directory, mount.SubPath);
            arguments.AddRange(["--volume", $"{source}:{mount.MountPath}{(mount.ReadOnlyProperty == true ? ":ro" : string.Empty)}"]);
        }

        foreach (var file in files)
        {
            arguments.AddRange(["--volume", $"{file.HostPath}:{file.ContainerPath}:ro"]);
        }

        var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        foreach (var (key, value) in pod.Environment(container))
        {
            variables[key] = value;
        }

        foreach (var (key, value) in variables)
        {
            arguments.AddRange(["--env", $"{key}={value}"]);
        }

        if (!string.IsNullOrEmpty(container.WorkingDir))
        {
            arguments.AddRange(["--workdir", container.WorkingDir]);
        }

        AddSecurity(arguments, pod.Pod.Spec.SecurityContext, container.SecurityContext);

        // As in Kubernetes: command replaces the image's ENTRYPOINT (and drops its CMD), args replace its CMD.
        if (pod.Command(container) is { Count: > 0 } command)
        {
            arguments.AddRange(["--entrypoint", JsonSerializer.Serialize(command, ContainerJsonContext.Default.IListString)]);
        }

        arguments.Add(container.Image ?? throw new ContainerStartException(container.Name, "InvalidImageName", $"container \"{container.Name}\" has no image"));
        arguments.AddRange(pod.Arguments(container) ?? []);
        return arguments;
    }

    private static void AddSecurity(List<string> arguments, V1PodSecurityContext? pod, V1SecurityContext? container)
    {
        var user = container?.RunAsUser ?? pod?.RunAsUser;
        var group = container?.RunAsGroup ?? pod?.RunAsGroup;
        if (user is not null)
        {
            arguments.AddRange(["--user", group is null ? Invariant(user.Value) : $"{Invariant(user.Value)}:{Invariant(group.Value)}"]);
        }
        else if (group is not null)
        {
            // Without runAsUser the image's user stays; podman cannot set only the primary group, so the group is added.
            arguments.AddRange(["--group-add", Invariant(group.Value)]);
        }

        foreach (var supplemental in (pod?.SupplementalGroups ?? []).OfType<long>())
        {
            arguments.AddRange(["--group-add", Invariant(supplemental)]);
        }

        if (container?.ReadOnlyRootFilesystem == true)
        {
            arguments.Add("--read-only");
        }

        if (container?.Privileged == true)
        {
            arguments.Add("--privileged");
        }

        foreach (var capability in container?.Capabilities?.Drop ?? [])
        {
            arguments.AddRange(["--cap-drop", capability]);
        }

        foreach (var capability in container?.Capabilities?.Add ?? [])
        {
            arguments.AddRange(["--cap-add", capability]);
        }

        if (container?.AllowPrivilegeEscalation == false)
        {
            arguments.AddRange(["--security-opt", "no-new-privileges"]);
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
