using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// A pod started by <see cref="LocalPodRunner"/>: its running containers (native sidecars apart), the runs of those
/// that ended, and its phase, which is written to the pod's status on the API server as it changes.
/// </summary>
public sealed class LocalPodRun : IAsyncDisposable
{
    private readonly LocalPod _pod;
    private readonly IKubernetes _client;
    private readonly Dictionary<string, LocalProcess> _running = new(StringComparer.Ordinal);
    private readonly List<string> _sidecars = [];
    private readonly Dictionary<string, ContainerRun> _ended = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1ContainerState> _states = new(StringComparer.Ordinal);
    private readonly DateTime _startedAt = DateTime.UtcNow;

    internal LocalPodRun(LocalPod pod, IKubernetes client)
    {
        _pod = pod;
        _client = client;
    }

    /// <summary><c>Pending</c>, <c>Running</c>, <c>Succeeded</c> or <c>Failed</c>.</summary>
    public string Phase { get; private set; } = "Pending";

    /// <summary>Why the pod failed, when it did.</summary>
    public string? Message { get; private set; }

    /// <summary>True while the named container's process runs.</summary>
    public bool IsRunning(string container) => _running.TryGetValue(container, out var process) && !process.HasExited;

    /// <summary>The named container's log so far (running or ended).</summary>
    public IReadOnlyList<string> Log(string container) =>
        _ended.TryGetValue(container, out var run) ? run.Log : _running.TryGetValue(container, out var process) ? process.Log : [];

    /// <summary>The run of a container that ended, or null.</summary>
    public ContainerRun? Ended(string container) => _ended.GetValueOrDefault(container);

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for the regular containers to end. When they have, the native sidecars
    /// are stopped and the phase becomes <c>Succeeded</c> (all exited 0) or <c>Failed</c>; otherwise the pod keeps
    /// running (a regular container that never ends, such as a proxy that is not a native sidecar, keeps it so).
    /// </summary>
    public async Task<string> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Phase != "Running")
        {
            return Phase;
        }

        var regular = _running.Where(p => !_sidecars.Contains(p.Key)).ToList();
        try
        {
            await Task.WhenAll(regular.Select(p => p.Value.WaitForExitAsync(cancellationToken))).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return Phase;
        }

        foreach (var (name, process) in regular)
        {
            Record(await process.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken));
        }

        var failed = regular.Where(p => _ended[p.Key].ExitCode != 0).Select(p => $"{p.Key} exited with {_ended[p.Key].ExitCode}").ToList();
        await EndAsync(failed.Count == 0 ? "Succeeded" : "Failed", failed.Count == 0 ? null : string.Join("; ", failed), cancellationToken);
        return Phase;
    }

    /// <summary>Waits at most <paramref name="timeout"/> for one container to end (the pod may keep running).</summary>
    public async Task<bool> WaitForContainerAsync(string container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_running.TryGetValue(container, out var process))
        {
            return _ended.ContainsKey(container);
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    internal void Started(string container, LocalProcess process, bool sidecar)
    {
        _running[container] = process;
        _states[container] = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } };
        if (sidecar)
        {
            _sidecars.Add(container);
        }
    }

    /// <summary>The container could not start (e.g. <c>ErrImageNeverPull</c>): it waits with that reason.</summary>
    internal void Waiting(string container, string reason, string message) =>
        _states[container] = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } };

    internal void Record(ContainerRun run)
    {
        _ended[run.Container] = run;
        var finishedAt = DateTime.UtcNow;
        _states[run.Container] = new V1ContainerState
        {
            Terminated = new V1ContainerStateTerminated
            {
                ExitCode = run.ExitCode,
                Reason = run.ExitCode == 0 ? "Completed" : "Error",
                StartedAt = finishedAt - run.Duration,
                FinishedAt = finishedAt,
            },
        };
        _running.Remove(run.Container);
    }

    /// <summary>Stops what still runs, sidecars last-started first, and writes the final phase.</summary>
    internal async Task EndAsync(string phase, string? message, CancellationToken cancellationToken)
    {
        foreach (var name in _running.Keys.Reverse().ToList())
        {
            var process = _running[name];
            Record(new ContainerRun(name, process.HasExited ? 0 : 137, process.Log, TimeSpan.Zero));
            await process.DisposeAsync();
        }

        await ReportAsync(phase, message, cancellationToken);
    }

    internal async Task ReportAsync(string phase, string? message, CancellationToken cancellationToken)
    {
        Phase = phase;
        Message = message;
        var status = PodStatusBuilder.Build(_pod.Pod, phase, message, _states, _startedAt);
        var patch = new V1Patch(KubernetesJson.Serialize(new { status }), V1Patch.PatchType.MergePatch);
        await _client.CoreV1.PatchNamespacedPodStatusAsync(patch, _pod.Pod.Metadata.Name, _pod.Pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _running.Values)
        {
            await process.DisposeAsync();
        }

        _running.Clear();
    }
}
