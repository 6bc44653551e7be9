using AzureWorkloadIdentity.Sandbox.Kubelet.Probes;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// A pod started by <see cref="LocalPodRunner"/>: its running containers (native sidecars apart), the runs of those
/// that ended, and its phase, which is written to the pod's status on the API server as it changes. Each started
/// container is supervised as a kubelet does: its readiness and liveness probes run, a failed liveness probe kills
/// it, and a container that ends is started again when the pod's <c>restartPolicy</c> says so (native sidecars
/// always), after the crash-loop back-off, waiting meanwhile with the reason <c>CrashLoopBackOff</c>.
/// The supervision of each container is in <c>LocalPodRun.Supervision.cs</c>, its probes in <c>LocalPodRun.Probes.cs</c>.
/// </summary>
public sealed partial class LocalPodRun : IAsyncDisposable
{
    /// <summary>How long one status write may take before it is abandoned.</summary>
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    private readonly LocalPod _pod;
    private readonly IKubernetes _client;
    private readonly IContainerRunner _runner;
    private readonly KubeletOptions _options;
    private readonly ContainerProber _prober;
    private readonly PodEvents _events;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _reporting = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, LocalProcess> _running = new(StringComparer.Ordinal);
    private readonly List<string> _sidecars = [];
    private readonly Dictionary<string, ContainerRun> _ended = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1ContainerState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1ContainerState> _lastStates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _restarts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContainerLog> _logs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContainerLog> _previousLogs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ready = new(StringComparer.Ordinal);
    private readonly HashSet<string> _awaitingStartup = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<ContainerRun>> _final = new(StringComparer.Ordinal);
    private readonly List<Task> _supervisors = [];
    private readonly DateTime _startedAt = DateTime.UtcNow;

    internal LocalPodRun(LocalPod pod, IKubernetes client, IContainerRunner runner, KubeletOptions options)
    {
        _pod = pod;
        _client = client;
        _runner = runner;
        _options = options;
        _prober = new ContainerProber(runner);
        _events = new PodEvents(pod.Pod, options);
    }

    /// <summary>Where this pod's Events are recorded.</summary>
    internal PodEvents Events => _events;

    /// <summary>The pod as the kubelet set it up.</summary>
    public LocalPod Pod => _pod;

    /// <summary>What runs the pod's containers (for <c>kubectl exec</c>).</summary>
    internal IContainerRunner Runner => _runner;

    /// <summary><c>Pending</c>, <c>Running</c>, <c>Succeeded</c> or <c>Failed</c>.</summary>
    public string Phase { get; private set; } = "Pending";

    /// <summary>Why the pod failed, when it did.</summary>
    public string? Message { get; private set; }

    /// <summary>True while the named container's process runs.</summary>
    public bool IsRunning(string container)
    {
        lock (_gate)
        {
            return _running.TryGetValue(container, out var process) && !process.HasExited;
        }
    }

    /// <summary>True while the named container runs and its readiness probe (if any) last succeeded.</summary>
    public bool IsReady(string container)
    {
        lock (_gate)
        {
            return _ready.Contains(container) && _running.ContainsKey(container);
        }
    }

    /// <summary>How often the named container has been restarted.</summary>
    public int RestartCount(string container)
    {
        lock (_gate)
        {
            return _restarts.GetValueOrDefault(container);
        }
    }

    /// <summary>The named container's log so far: the running instance's, else the last run's.</summary>
    public IReadOnlyList<string> Log(string container)
    {
        lock (_gate)
        {
            return _running.TryGetValue(container, out var process) ? process.Log : _ended.TryGetValue(container, out var run) ? run.Log : [];
        }
    }

    /// <summary>
    /// The log <c>kubectl logs</c> reads, chosen as the kubelet chooses it: with <paramref name="previous"/> the
    /// instance the status reports as <c>lastState</c>, else the latest one (running or ended).
    /// </summary>
    /// <exception cref="Kubernetes.KubernetesApiException">No such instance (400, with the kubelet's message).</exception>
    public ContainerLog ContainerLog(string container, bool previous)
    {
        var pod = _pod.Pod.Metadata.Name;
        lock (_gate)
        {
            if (previous)
            {
                return _previousLogs.GetValueOrDefault(container)
                    ?? throw Kubernetes.KubernetesApiException.BadRequest($"previous terminated container \"{container}\" in pod \"{pod}\" not found");
            }

            return _logs.GetValueOrDefault(container)
                ?? throw Kubernetes.KubernetesApiException.BadRequest(
                    $"container \"{container}\" in pod \"{pod}\" is waiting to start: {_states.GetValueOrDefault(container)?.Waiting?.Reason ?? "ContainerCreating"}");
        }
    }

    /// <summary>The last run of a container that ended, or null.</summary>
    public ContainerRun? Ended(string container)
    {
        lock (_gate)
        {
            return _ended.GetValueOrDefault(container);
        }
    }

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for the regular containers to end for good (ended and not to be
    /// restarted). When they have, the native sidecars are stopped and the phase becomes <c>Succeeded</c> (all exited
    /// 0) or <c>Failed</c>; otherwise the pod keeps running (as a pod with <c>restartPolicy: Always</c> does).
    /// </summary>
    public async Task<string> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Phase != "Running")
        {
            return Phase;
        }

        List<Task<ContainerRun>> finals;
        lock (_gate)
        {
            finals = [.. (_pod.Pod.Spec.Containers ?? []).Select(c => Final(c.Name).Task)];
        }

        ContainerRun[] runs;
        try
        {
            runs = await Task.WhenAll(finals).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return Phase;
        }

        var failed = runs.Where(r => r.ExitCode != 0).Select(r => $"{r.Container} exited with {r.ExitCode}").ToList();
        await EndAsync(failed.Count == 0 ? "Succeeded" : "Failed", failed.Count == 0 ? null : string.Join("; ", failed), cancellationToken);
        return Phase;
    }

    /// <summary>Waits at most <paramref name="timeout"/> for one container to end for good (the pod may keep running).</summary>
    public async Task<bool> WaitForContainerAsync(string container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task<ContainerRun> final;
        lock (_gate)
        {
            final = Final(container).Task;
        }

        try
        {
            await final.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>A started container: from here it is probed, and restarted when it ends, until the pod ends.</summary>
    internal void Started(string container, LocalProcess process, bool sidecar)
    {
        lock (_gate)
        {
            MarkRunning(container, process);
            if (sidecar)
            {
                _sidecars.Add(container);
            }

            _supervisors.Add(SuperviseAsync(_pod.Container(container), process, sidecar, _stopping.Token));
        }
    }

    /// <summary>The container could not start (e.g. <c>ErrImageNeverPull</c>): it waits with that reason.</summary>
    internal void Waiting(string container, string reason, string message)
    {
        lock (_gate)
        {
            _states[container] = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } };
        }

        _events.StartFailed(container, reason, message);
    }

    internal void Record(ContainerRun run)
    {
        lock (_gate)
        {
            _ended[run.Container] = run;
            if (!_logs.ContainsKey(run.Container))
            {
                // A container run to completion (an init container) leaves only its lines.
                var log = new ContainerLog();
                foreach (var line in run.Log)
                {
                    log.Append(line);
                }

                log.End();
                _logs[run.Container] = log;
            }

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
            _ready.Remove(run.Container);
        }
    }

    /// <summary>Stops what still runs, sidecars last-started first, and writes the final phase.</summary>
    internal async Task EndAsync(string phase, string? message, CancellationToken cancellationToken)
    {
        await StopSupervisorsAsync();
        foreach (var (name, process) in RunningLastFirst())
        {
            Record(new ContainerRun(name, process.HasExited ? 0 : 137, process.Log, TimeSpan.Zero));
            await process.DisposeAsync();
        }

        await ReportAsync(phase, message, cancellationToken);
    }

    internal Task ReportAsync(string phase, string? message, CancellationToken cancellationToken) =>
        ReportAsync((phase, message), cancellationToken);

    /// <summary>
    /// Writes the status; with <paramref name="change"/> null, the phase and message current when the write starts —
    /// read under the same lock as a change, so a report queued before a change cannot put the old phase back.
    /// <paramref name="cancellationToken"/> cancels the wait for the turn, never a write already sent: an abandoned
    /// request can still reach the API server after the next one, and would put the old phase back there (a pod
    /// reported <c>Failed</c> read back <c>Running</c> that way). A write is bounded by <see cref="WriteTimeout"/>.
    /// </summary>
    private async Task ReportAsync((string Phase, string? Message)? change, CancellationToken cancellationToken)
    {
        await _reporting.WaitAsync(cancellationToken);
        try
        {
            if (change is { } changed)
            {
                Phase = changed.Phase;
                Message = changed.Message;
            }

            var phase = Phase;
            var message = Message;
            V1PodStatus status;
            lock (_gate)
            {
                var snapshot = _states.ToDictionary(
                    s => s.Key,
                    s => new ContainerSnapshot(s.Value, _ready.Contains(s.Key), _restarts.GetValueOrDefault(s.Key), _lastStates.GetValueOrDefault(s.Key), !_awaitingStartup.Contains(s.Key)),
                    StringComparer.Ordinal);
                status = PodStatusBuilder.Build(_pod.Pod, _pod.PodIp, phase, message, snapshot, _startedAt);
            }

            var patch = new V1Patch(KubernetesJson.Serialize(new { status }), V1Patch.PatchType.MergePatch);
            using var bounded = new CancellationTokenSource(WriteTimeout);
            await _client.CoreV1.PatchNamespacedPodStatusAsync(patch, _pod.Pod.Metadata.Name, _pod.Pod.Metadata.NamespaceProperty, cancellationToken: bounded.Token);
        }
        finally
        {
            _reporting.Release();
        }
    }

    /// <summary>Running from now; ready unless a startup or readiness probe has yet to say so.</summary>
    private void MarkRunning(string container, LocalProcess process)
    {
        _events.ContainerStarted(container);
        _running[container] = process;
        _logs[container] = process.Output;
        _states[container] = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } };
        var spec = _pod.Container(container);
        if (spec.StartupProbe is not null)
        {
            _awaitingStartup.Add(container);
        }

        if (spec.ReadinessProbe is null && spec.StartupProbe is null)
        {
            _ready.Add(container);
        }
        else
        {
            _ready.Remove(container);
        }
    }

    /// <summary>The startup probe succeeded: the container counts as started, and as ready unless a readiness probe decides.</summary>
    private async Task MarkStartedAsync(V1Container container, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _awaitingStartup.Remove(container.Name);
            if (container.ReadinessProbe is null && _running.ContainsKey(container.Name))
            {
                _ready.Add(container.Name);
            }
        }

        await ReportQuietlyAsync(cancellationToken);
    }

    private TaskCompletionSource<ContainerRun> Final(string container)
    {
        if (!_final.TryGetValue(container, out var final))
        {
            _final[container] = final = new TaskCompletionSource<ContainerRun>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return final;
    }

    /// <summary>A status update while the pod runs; one that fails (the pod was deleted, say) waits for the next.</summary>
    private async Task ReportQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReportAsync(change: null, cancellationToken);
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// A graceful stop, as the kubelet stops a pod marked for deletion: nothing restarts any more, and every running
    /// container gets SIGTERM and, once <paramref name="grace"/> has passed, SIGKILL — all at once, like the kubelet.
    /// </summary>
    public async Task TerminateAsync(TimeSpan grace)
    {
        await StopSupervisorsAsync();
        var running = RunningLastFirst();
        foreach (var (name, _) in running)
        {
            // As a kubelet says when it starts a container's graceful stop.
            _events.Killing(name);
        }

        await Task.WhenAll(running.Select(container => container.Value.StopAsync(grace)));
        foreach (var (name, process) in running)
        {
            // Kept as the containers' last runs, so their logs outlive the pod as a node's do for a while.
            Record(new ContainerRun(name, process.ExitCode, process.Log, TimeSpan.Zero));
        }
    }

    private List<KeyValuePair<string, LocalProcess>> RunningLastFirst()
    {
        lock (_gate)
        {
            return [.. _running.Reverse()];
        }
    }

    private async Task StopSupervisorsAsync()
    {
        await _stopping.CancelAsync();
        Task[] supervisors;
        lock (_gate)
        {
            supervisors = [.. _supervisors];
        }

        await Task.WhenAll(supervisors).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        _options.StreamingServer?.Remove(this);
        foreach (var (container, _) in RunningLastFirst())
        {
            // The pod is going (deleted, or its kubelet stops): what still runs is stopped, as the Event says.
            _events.Killing(container);
        }

        await StopSupervisorsAsync();
        foreach (var (_, process) in RunningLastFirst())
        {
            await process.DisposeAsync();
        }

        lock (_gate)
        {
            _running.Clear();
        }

        _stopping.Dispose();
        _reporting.Dispose();
    }
}
