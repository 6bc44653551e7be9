using System.Diagnostics;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// Runs a pod's container as a local process: the image is looked up among the known <see cref="LocalImage"/>s,
/// the container's env is passed as is except that paths under its volume mounts are translated to the pod's local
/// folder (so <c>AZURE_FEDERATED_TOKEN_FILE</c> points at the token the kubelet wrote), and the run is bounded by a
/// time-out. <c>valueFrom</c> env entries are not resolved (no downward API here); they are reported in the log.
/// </summary>
public sealed class LocalContainerRunner
{
    private readonly IReadOnlyDictionary<string, LocalImage> _images;
    private readonly IReadOnlyDictionary<string, string> _extraEnvironment;

    /// <param name="extraEnvironment">Variables added to every container (e.g. <c>SSL_CERT_FILE</c> for the sandbox CA);
    /// the container's own entries win.</param>
    public LocalContainerRunner(IEnumerable<LocalImage> images, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        _images = images.ToDictionary(i => i.Repository, StringComparer.Ordinal);
        _extraEnvironment = extraEnvironment ?? new Dictionary<string, string>();
    }

    /// <summary>The environment the container's process gets, after path translation.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentFor(LocalPod pod, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var environment = new Dictionary<string, string>(_extraEnvironment, StringComparer.Ordinal);
        foreach (var entry in container.Env ?? [])
        {
            if (entry.Value is null)
            {
                continue;
            }

            environment[entry.Name] = entry.Value.StartsWith('/') ? pod.TranslatePath(container, entry.Value) : entry.Value;
        }

        return environment;
    }

    /// <summary>Runs the named container (init or regular) to completion.</summary>
    public async Task<ContainerRun> RunAsync(LocalPod pod, string containerName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var container = (pod.Pod.Spec.InitContainers ?? []).Concat(pod.Pod.Spec.Containers ?? [])
            .FirstOrDefault(c => c.Name == containerName)
            ?? throw new ArgumentException($"pod {pod.Pod.Metadata.Name} has no container \"{containerName}\"", nameof(containerName));
        var repository = LocalImage.RepositoryOf(container.Image ?? string.Empty);
        if (!_images.TryGetValue(repository, out var image))
        {
            throw new InvalidOperationException(
                $"container \"{containerName}\" uses image \"{container.Image}\", which the local kubelet cannot run; " +
                $"known images: {string.Join(", ", _images.Keys)}");
        }

        var start = new ProcessStartInfo(image.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in image.Arguments.Concat(container.Args ?? []))
        {
            start.ArgumentList.Add(argument);
        }

        // The container sees only its own environment, not the sandbox process's (PATH and HOME aside, which
        // the local program needs to start at all).
        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        var log = new List<string>();
        foreach (var entry in container.Env ?? [])
        {
            if (entry.ValueFrom is not null)
            {
                log.Add($"[kubelet] env {entry.Name} uses valueFrom, which the local kubelet does not resolve");
            }
        }

        foreach (var (name, value) in EnvironmentFor(pod, container))
        {
            start.Environment[name] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        var gate = new Lock();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { log.Add(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { log.Add(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            lock (gate)
            {
                log.Add($"[kubelet] container \"{containerName}\" did not finish within {timeout.TotalSeconds:0} s and was stopped");
            }

            cancellationToken.ThrowIfCancellationRequested();
            return new ContainerRun(containerName, 137, Snapshot(), stopwatch.Elapsed);
        }

        return new ContainerRun(containerName, process.ExitCode, Snapshot(), stopwatch.Elapsed);

        IReadOnlyList<string> Snapshot()
        {
            lock (gate)
            {
                return [.. log];
            }
        }
    }
}
