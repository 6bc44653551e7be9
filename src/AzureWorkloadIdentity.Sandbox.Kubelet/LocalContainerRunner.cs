using System.Diagnostics;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// Runs a pod's container as a local process: the image is looked up among the known <see cref="LocalImage"/>s,
/// the container's env is passed as is except that paths under its volume mounts are translated to the pod's local
/// folder (so <c>AZURE_FEDERATED_TOKEN_FILE</c> points at the token the kubelet wrote), and runs are bounded by a
/// time-out. <c>valueFrom</c> env entries come resolved by the kubelet (see <see cref="EnvironmentResolver"/>).
/// When the pod has its own <see cref="PodNetwork"/>, the process runs inside it as the container's user
/// (<c>runAsUser</c>, else the image's); otherwise it shares the machine's network and runs as this process's user.
/// </summary>
public sealed class LocalContainerRunner : IContainerRunner
{
    private static readonly string[] InheritedVariables = ["PATH", "HOME", "DOTNET_ROOT", "TMPDIR"];

    private readonly IReadOnlyDictionary<string, LocalImage> _images;
    private readonly IReadOnlyDictionary<string, string> _extraEnvironment;

    /// <param name="extraEnvironment">Variables added to every container (e.g. <c>SSL_CERT_FILE</c> for the sandbox CA);
    /// the container's own entries win.</param>
    public LocalContainerRunner(IEnumerable<LocalImage> images, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        _images = images.ToDictionary(i => i.Repository, StringComparer.Ordinal);
        _extraEnvironment = extraEnvironment ?? new Dictionary<string, string>();
    }

    public string Description => "local processes";

    /// <summary>The environment the container's process gets, after path translation.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentFor(LocalPod pod, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var environment = new Dictionary<string, string>(_extraEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in pod.Environment(container))
        {
            environment[name] = value.StartsWith('/') ? pod.TranslatePath(container, value) : value;
        }

        return environment;
    }

    /// <summary>Runs the named container (init or regular) to completion.</summary>
    public async Task<ContainerRun> RunAsync(LocalPod pod, string containerName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var running = Start(pod, containerName);
        return await running.WaitAsync(timeout, cancellationToken);
    }

    public Task<LocalProcess> StartAsync(LocalPod pod, string containerName, CancellationToken cancellationToken) =>
        Task.FromResult(Start(pod, containerName));

    /// <summary>Starts the named container and leaves it running (a sidecar); disposing the result stops it.</summary>
    public LocalProcess Start(LocalPod pod, string containerName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var container = pod.Container(containerName);
        var image = ImageOf(container);
        return Launch(pod, container, image, image.Arguments.Concat(pod.Arguments(container) ?? []));
    }

    /// <summary>
    /// Runs the container's <c>lifecycle.postStart</c> exec hook to completion, as the kubelet does right after
    /// starting the container; a container without one gets a successful no-op.
    /// </summary>
    public async Task<ContainerRun> RunPostStartAsync(LocalPod pod, string containerName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var container = pod.Container(containerName);
        if (container.Lifecycle?.PostStart?.Exec?.Command is not { Count: > 0 } command)
        {
            return new ContainerRun(containerName, 0, [], TimeSpan.Zero);
        }

        var image = ImageOf(container);
        if (image.Entrypoint is null || command[0] != image.Entrypoint)
        {
            throw new InvalidOperationException(
                $"the postStart hook of container \"{containerName}\" runs \"{command[0]}\", which the local kubelet cannot run " +
                $"(it can run the image's entrypoint {image.Entrypoint ?? "(none known)"})");
        }

        await using var hook = Launch(pod, container, image, image.Arguments.Concat(command.Skip(1)));
        return await hook.WaitAsync(timeout, cancellationToken);
    }

    /// <summary>
    /// Runs an exec probe's command beside the container's process: a command that starts with the image's
    /// entrypoint runs the image's local program, any other runs as a program of this machine — with the container's
    /// environment, user and network either way.
    /// </summary>
    public async Task<ContainerRun> ExecAsync(LocalPod pod, string containerName, IEnumerable<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(command);
        var container = pod.Container(containerName);
        var image = ImageOf(container);
        var words = command.ToList();
        if (words.Count == 0)
        {
            return new ContainerRun(containerName, 1, ["[kubelet] the exec command is empty"], TimeSpan.Zero);
        }

        var program = words[0] == image.Entrypoint ? image : image with { FileName = words[0], Arguments = [] };
        var arguments = words[0] == image.Entrypoint ? image.Arguments.Concat(words.Skip(1)) : words.Skip(1);
        await using var exec = Launch(pod, container, program, arguments);
        return await exec.WaitAsync(timeout, cancellationToken);
    }

    private LocalImage ImageOf(V1Container container)
    {
        var repository = LocalImage.RepositoryOf(container.Image ?? string.Empty);
        return _images.TryGetValue(repository, out var image)
            ? image
            : throw new InvalidOperationException(
                $"container \"{container.Name}\" uses image \"{container.Image}\", which the local kubelet cannot run; " +
                $"known images: {string.Join(", ", _images.Keys)}");
    }

    private LocalProcess Launch(LocalPod pod, V1Container container, LocalImage image, IEnumerable<string> arguments)
    {
        var user = pod.Network is null ? null : pod.RunAsUser(container) ?? image.User;
        var start = new ProcessStartInfo(image.FileName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(OperatingSystem.IsWindows() ? argument : ImageStaging.ReadableBy(user, argument, Path.Combine(pod.Directory, "images")));
        }

        // The container sees only its own environment, not the sandbox process's (PATH and HOME aside, which
        // the local program needs to start at all; another user gets a HOME it can use).
        start.Environment.Clear();
        foreach (var name in InheritedVariables)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        if (user is not null and not 0)
        {
            start.Environment["HOME"] = Path.GetTempPath();
        }

        foreach (var (name, value) in EnvironmentFor(pod, container))
        {
            start.Environment[name] = value;
        }

        pod.Network?.Enter(start, user);
        return new LocalProcess(container.Name, start, []);
    }
}
