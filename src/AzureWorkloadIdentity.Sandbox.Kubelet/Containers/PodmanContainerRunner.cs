using System.Collections.Concurrent;
using System.Diagnostics;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet.Containers;

/// <summary>
/// Runs a pod's containers as OCI containers with podman, from the images in root's local store (built by
/// <c>bash scripts/build-images.sh</c>; never pulled). Each container is created with
/// <see cref="PodmanCreateArguments"/> and started attached, so its output is the container's log and the process's
/// exit code the container's. Disposing a started container removes it; disposing the runner removes every
/// container it made, also those a failed test or Ctrl+C left behind.
/// </summary>
public sealed class PodmanContainerRunner : IContainerRunner, IAsyncDisposable
{
    /// <summary>The command that builds the images the sandbox runs.</summary>
    public const string BuildCommand = "bash scripts/build-images.sh";

    /// <summary>Where the files every container gets (the sandbox's CA) are mounted.</summary>
    public const string FilesDirectory = "/etc/azure-workload-identity-sandbox";

    private static readonly TimeSpan RunningTimeout = TimeSpan.FromSeconds(30);

    private readonly string _kubeletId = Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly List<ContainerFile> _files = [];
    private readonly ConcurrentDictionary<string, string> _imageUsers = new(StringComparer.Ordinal);

    /// <param name="extraEnvironment">Variables added to every container; a value naming a file of this machine
    /// (the sandbox's CA bundle for <c>SSL_CERT_FILE</c>, say) is mounted read-only under <see cref="FilesDirectory"/>
    /// and the variable points there.</param>
    public PodmanContainerRunner(IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            if (Path.IsPathFullyQualified(value) && File.Exists(value))
            {
                var inside = $"{FilesDirectory}/{Path.GetFileName(value)}";
                if (!_files.Any(f => f.ContainerPath == inside))
                {
                    _files.Add(new ContainerFile(value, inside));
                }

                _environment[name] = inside;
            }
            else
            {
                _environment[name] = value;
            }
        }
    }

    public string Description => "OCI containers (podman with runc)";

    /// <summary>The podman name of a pod's container: unique per kubelet, pod and container.</summary>
    public string ContainerName(LocalPod pod, string container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return $"azwi-{_kubeletId}-{pod.Pod.Metadata.NamespaceProperty ?? "default"}-{pod.Pod.Metadata.Name}-{container}";
    }

    public async Task<LocalProcess> StartAsync(LocalPod pod, string containerName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var container = pod.Container(containerName);
        await CheckImageAsync(pod, container, cancellationToken);
        var name = ContainerName(pod, containerName);
        await RemoveAsync(name);
        var created = await Podman.RunAsync(
            PodmanCreateArguments.For(pod, container, name, _kubeletId, _environment, _files), cancellationToken);
        if (created.ExitCode != 0)
        {
            throw new ContainerStartException(containerName, "CreateContainerError",
                $"podman could not create container \"{containerName}\": {string.Join(' ', created.Log).Trim()}");
        }

        return Podman.Start(containerName, ["start", "--attach", name], [], grace => RemoveAsync(name, grace));
    }

    public async Task<ContainerRun> RunAsync(LocalPod pod, string containerName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var running = await StartAsync(pod, containerName, cancellationToken);
        return await running.WaitAsync(timeout, cancellationToken);
    }

    public async Task<ContainerRun> RunPostStartAsync(LocalPod pod, string containerName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var container = pod.Container(containerName);
        return container.Lifecycle?.PostStart?.Exec?.Command is { Count: > 0 } command
            ? await ExecAsync(pod, containerName, command, timeout, cancellationToken)
            : new ContainerRun(containerName, 0, [], TimeSpan.Zero);
    }

    /// <summary>
    /// Runs <paramref name="command"/> inside the running container (<c>podman exec</c>), as a postStart hook or an
    /// exec probe does, once the container has started.
    /// </summary>
    public async Task<ContainerRun> ExecAsync(LocalPod pod, string containerName, IEnumerable<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var name = ContainerName(pod, containerName);
        if (!await WaitRunningAsync(name, cancellationToken))
        {
            return new ContainerRun(containerName, 1, [$"[kubelet] container \"{containerName}\" is not running, so the command cannot run in it"], TimeSpan.Zero);
        }

        return await Podman.RunAsync(["exec", name, .. command], cancellationToken, timeout);
    }

    /// <summary>
    /// Starts <paramref name="command"/> inside the running container (<c>podman exec --interactive</c>) with its
    /// standard streams redirected to the caller (<c>kubectl exec</c>).
    /// </summary>
    public async Task<Process> StartExecAsync(LocalPod pod, string containerName, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var name = ContainerName(pod, containerName);
        if (!await WaitRunningAsync(name, cancellationToken))
        {
            throw new InvalidOperationException($"container not found (\"{containerName}\")");
        }

        var start = new ProcessStartInfo(Podman.Program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["exec", "--interactive", name, .. command])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"cannot start podman exec in container \"{containerName}\"");
    }

    /// <summary>
    /// The image must be in the local store (it is never pulled), and a container that must not run as root must
    /// have a user that is not root, from its securityContext or its image — as the kubelet refuses it otherwise.
    /// </summary>
    private async Task CheckImageAsync(LocalPod pod, V1Container container, CancellationToken cancellationToken)
    {
        var image = container.Image ?? string.Empty;
        if (!_imageUsers.TryGetValue(image, out var imageUser))
        {
            var inspected = await Podman.RunAsync(["image", "inspect", "--format", "{{.Config.User}}", image], cancellationToken);
            if (inspected.ExitCode != 0)
            {
                throw new ContainerStartException(container.Name, "ErrImageNeverPull",
                    $"container \"{container.Name}\": image \"{image}\" is not in the local image store and the sandbox never pulls; build it: {BuildCommand}");
            }

            imageUser = _imageUsers.GetOrAdd(image, inspected.Log.FirstOrDefault()?.Trim() ?? string.Empty);
        }

        var runAsNonRoot = container.SecurityContext?.RunAsNonRoot ?? pod.Pod.Spec.SecurityContext?.RunAsNonRoot;
        var user = pod.RunAsUser(container)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? imageUser.Split(':')[0];
        if (runAsNonRoot == true && user is "" or "0" or "root")
        {
            throw new ContainerStartException(container.Name, "CreateContainerConfigError",
                $"container \"{container.Name}\" has runAsNonRoot and image \"{image}\" will run as root; set securityContext.runAsUser to a non-zero UID");
        }
    }

    /// <summary>Waits until podman reports the container running (true) or ended (false).</summary>
    private static async Task<bool> WaitRunningAsync(string name, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(RunningTimeout);
        while (true)
        {
            var state = await Podman.RunAsync(["container", "inspect", "--format", "{{.State.Status}}", name], bounded.Token);
            var status = state.ExitCode == 0 ? state.Log.FirstOrDefault()?.Trim() : "missing";
            if (status is "running" or "exited" or "stopped" or "missing")
            {
                return status == "running";
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), bounded.Token);
        }
    }

    /// <summary>
    /// Removes the container; a running one gets its stop signal and, after <paramref name="grace"/> (2 s when not
    /// given), SIGKILL — podman's own graceful stop, bounded by the grace period plus the command's time.
    /// </summary>
    private static Task RemoveAsync(string name, TimeSpan? grace = null)
    {
        var seconds = grace is { } g ? (int)Math.Ceiling(g.TotalSeconds) : 2;
        return Podman.RunAsync(
            ["rm", "--force", "--ignore", "--time", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), name],
            CancellationToken.None, TimeSpan.FromSeconds(seconds + 60));
    }

    /// <summary>The names of the containers this runner made that podman still has (running or not).</summary>
    public async Task<IReadOnlyList<string>> ListContainersAsync(CancellationToken cancellationToken)
    {
        var listed = await Podman.RunAsync(
            ["ps", "--all", "--format", "{{.Names}}", "--filter", $"label={Podman.KubeletLabel}={_kubeletId}"], cancellationToken);
        return [.. listed.Log.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim())];
    }

    /// <summary>Removes every container this runner made that is still there.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var name in await ListContainersAsync(CancellationToken.None))
        {
            await RemoveAsync(name);
        }
    }
}
