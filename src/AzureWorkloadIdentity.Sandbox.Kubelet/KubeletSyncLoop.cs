using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// The kubelet's sync loop for the sandbox's one node: it watches the API server's pods and runs each new one
/// (<see cref="LocalKubelet"/> sets it up with its own network, <see cref="LocalPodRunner"/> runs its containers and
/// reports its status), keeps its secret and config-map volumes in step with the API server (as the kubelet's volume
/// manager does, so a webhook's rotated certificate reaches its files), and stops the pod's containers and removes
/// its network when the pod is deleted. This is how a Deployment applied with kubectl or helm gets running pods.
/// </summary>
public sealed partial class KubeletSyncLoop : IAsyncDisposable
{
    private static readonly TimeSpan VolumeResync = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan InitTimeout = TimeSpan.FromMinutes(5);

    private readonly IKubernetes _client;
    private readonly LocalKubelet _kubelet;
    private readonly IContainerRunner _runner;
    private readonly Func<IReadOnlyCollection<int>> _hostPorts;
    private readonly KubeletOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, RunningPod> _pods = new(StringComparer.Ordinal);
    private readonly Task _loop;

    /// <param name="hostPorts">The machine's loopback ports each new pod's network relays (the sandbox's services), asked per pod.</param>
    public KubeletSyncLoop(
        IKubernetes client, LocalKubelet kubelet, IContainerRunner runner, Func<IReadOnlyCollection<int>> hostPorts,
        KubeletOptions? options = null, ILogger? logger = null)
    {
        _client = client;
        _kubelet = kubelet;
        _runner = runner;
        _hostPorts = hostPorts;
        _options = options ?? new KubeletOptions();
        _logger = logger ?? NullLogger.Instance;
        _loop = RunAsync(_stopping.Token);
    }

    /// <summary>The run of a pod this kubelet started, for its logs and container states; null when it runs no such pod.</summary>
    public LocalPodRun? Run(string @namespace, string name) =>
        _pods.Values.FirstOrDefault(p => p.Namespace == @namespace && p.Name == name)?.Run;

    /// <summary>How many pods of the namespace this kubelet runs (a deleted pod's are stopped and gone).</summary>
    public int PodsIn(string @namespace) => _pods.Values.Count(p => p.Namespace == @namespace);

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var (type, pod) in _client.CoreV1.WatchListPodForAllNamespacesAsync(cancellationToken: stopping).WithCancellation(stopping))
                {
                    if (type is WatchEventType.Added or WatchEventType.Modified && pod.Status?.StartTime is null && !_pods.ContainsKey(pod.Metadata.Uid))
                    {
                        StartPod(pod);
                    }
                    else if (type is WatchEventType.Deleted && _pods.TryRemove(pod.Metadata.Uid, out var gone))
                    {
                        _ = StopPodAsync(gone);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop survives any failure of its watch and lists again, as the kubelet does.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWatchFailed(_logger, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void StartPod(V1Pod pod)
    {
        var running = new RunningPod(pod.Metadata.NamespaceProperty ?? "default", pod.Metadata.Name, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token));
        if (_pods.TryAdd(pod.Metadata.Uid, running))
        {
            running.Started = StartPodAsync(pod, running);
        }
    }

    private async Task StartPodAsync(V1Pod pod, RunningPod running)
    {
        var stopping = running.Stopping.Token;
        try
        {
            running.Local = await _kubelet.StartPodAsync(pod, _hostPorts(), stopping);
            running.Run = await new LocalPodRunner(_runner, _client, _options).StartAsync(running.Local, InitTimeout, stopping);
            LogStarted(_logger, running.Namespace, running.Name, running.Local.PodIp);
            await ResyncVolumesAsync(running.Local, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A pod that cannot start says why in its status (the runner wrote it) and in the log; the node goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogStartFailed(_logger, running.Namespace, running.Name, e.Message);
        }
    }

    /// <summary>Rewrites the pod's secret and config-map volumes from the API server until the pod goes.</summary>
    private async Task ResyncVolumesAsync(LocalPod pod, CancellationToken stopping)
    {
        var volumes = Path.Combine(pod.Directory, "volumes");
        while (!stopping.IsCancellationRequested)
        {
            await Task.Delay(VolumeResync, _options.Time, stopping);
            try
            {
                await PodVolumes.WriteAsync(_client, pod.Pod, volumes, stopping, sourcesOnly: true);
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or IOException or ContainerStartException)
            {
                LogResyncFailed(_logger, pod.Pod.Metadata.Name, e.Message);
            }
        }
    }

    private async Task StopPodAsync(RunningPod running)
    {
        await running.Stopping.CancelAsync();
        await (running.Started ?? Task.CompletedTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (running.Run is { } run)
        {
            await run.DisposeAsync();
        }

        if (running.Local is { } local)
        {
            await _kubelet.StopPodAsync(local);
        }

        running.Stopping.Dispose();
        LogStopped(_logger, running.Namespace, running.Name);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var uid in _pods.Keys.ToList())
        {
            if (_pods.TryRemove(uid, out var running))
            {
                await StopPodAsync(running);
            }
        }

        _stopping.Dispose();
    }

    private sealed class RunningPod(string @namespace, string name, CancellationTokenSource stopping)
    {
        public string Namespace { get; } = @namespace;

        public string Name { get; } = name;

        public CancellationTokenSource Stopping { get; } = stopping;

        public Task? Started { get; set; }

        public LocalPod? Local { get; set; }

        public LocalPodRun? Run { get; set; }
    }

    [LoggerMessage(1, LogLevel.Information, "kubelet: pod {Namespace}/{Pod} started, IP {PodIp}")]
    private static partial void LogStarted(ILogger logger, string @namespace, string pod, string podIp);

    [LoggerMessage(2, LogLevel.Warning, "kubelet: pod {Namespace}/{Pod} could not start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string @namespace, string pod, string reason);

    [LoggerMessage(3, LogLevel.Information, "kubelet: pod {Namespace}/{Pod} stopped and removed")]
    private static partial void LogStopped(ILogger logger, string @namespace, string pod);

    [LoggerMessage(4, LogLevel.Warning, "kubelet: the pod watch failed and is restarted: {Reason}")]
    private static partial void LogWatchFailed(ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Debug, "kubelet: refreshing the volumes of pod {Pod} failed, keeping the old files: {Reason}")]
    private static partial void LogResyncFailed(ILogger logger, string pod, string reason);
}
