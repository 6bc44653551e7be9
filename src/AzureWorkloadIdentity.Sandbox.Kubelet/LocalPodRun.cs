using AzureWorkloadIdentity.Sandbox.Kubelet.Probes;
using AzureWorkloadIdentity.Sandbox.Kubelet.Restarts;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// A pod started by <see cref="LocalPodRunner"/>: its running containers (native sidecars apart), the runs of those
/// that ended, and its phase, which is written to the pod's status on the API server as it changes. Each started
/// container is supervised as a kubelet does: its readiness and liveness probes run, a failed liveness probe kills
/// it, and a container that ends is started again when the pod's <c>restartPolicy</c> says so (native sidecars
/// always), after the crash-loop back-off, waiting meanwhile with the reason <c>CrashLoopBackOff</c>.
/// </summary>
public sealed class LocalPodRun : IAsyncDisposable
{
    private readonly LocalPod _pod;
    private readonly IKubernetes _client;
    private readonly IContainerRunner _runner;
    private readonly KubeletOptions _options;
    private readonly ContainerProber _prober;
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
    }

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
            await _client.CoreV1.PatchNamespacedPodStatusAsync(patch, _pod.Pod.Metadata.Name, _pod.Pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        finally
        {
            _reporting.Release();
        }
    }

    /// <summary>
    /// Follows one container across its restarts: probes each instance, records how it ended, and starts it again
    /// after the back-off when the restart policy says so.
    /// </summary>
    private async Task SuperviseAsync(V1Container container, LocalProcess process, bool sidecar, CancellationToken stopping)
    {
        try
        {
            ContainerRun? hookFailed = null;
            while (true)
            {
                var ended = hookFailed ?? await FollowAsync(container, process, stopping);
                Record(ended);
                if (!RestartRules.ShouldRestart(_pod.Pod.Spec.RestartPolicy, sidecar, ended.ExitCode))
                {
                    Final(container.Name).TrySetResult(ended);
                    await ReportQuietlyAsync(stopping);
                    return;
                }

                await BackOffAsync(container.Name, stopping);
                (process, hookFailed) = await RestartAsync(container, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The pod is ending; EndAsync stops what still runs.
        }
        catch (ContainerStartException e)
        {
            Waiting(e.Container, e.Reason, e.Message);
            await ReportQuietlyAsync(stopping);
        }
    }

    /// <summary>
    /// The crash-loop back-off before a failed container starts again: its state becomes <c>CrashLoopBackOff</c> (the
    /// run that failed becomes its last state), the status is reported, and the delay, doubled per earlier restart, is
    /// waited out.
    /// </summary>
    internal async Task BackOffAsync(string container, CancellationToken cancellationToken)
    {
        var delay = RestartBackoff.Delay(RestartCount(container), _options.RestartBackoffBase, _options.RestartBackoffMax);
        lock (_gate)
        {
            _lastStates[container] = _states[container];
            if (_logs.TryGetValue(container, out var ended))
            {
                _previousLogs[container] = ended;
            }

            _states[container] = new V1ContainerState
            {
                Waiting = new V1ContainerStateWaiting
                {
                    Reason = "CrashLoopBackOff",
                    Message = $"back-off {delay.TotalSeconds:0.###}s restarting failed container={container} pod={_pod.Pod.Metadata.Name}",
                },
            };
        }

        await ReportQuietlyAsync(cancellationToken);
        await Task.Delay(delay, _options.Time, cancellationToken);
    }

    /// <summary>An init container that failed is run again: one more restart.</summary>
    internal void CountRestart(string container)
    {
        lock (_gate)
        {
            _restarts[container] = _restarts.GetValueOrDefault(container) + 1;
        }
    }

    /// <summary>
    /// Runs the probes of one instance until it exits or a startup or liveness probe fails (then it is killed). As in
    /// Kubernetes, a startup probe runs first and the other probes only once it has succeeded.
    /// </summary>
    private async Task<ContainerRun> FollowAsync(V1Container container, LocalProcess process, CancellationToken stopping)
    {
        using var instance = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var exited = process.WaitForExitAsync(instance.Token);
        if (container.StartupProbe is { } startup)
        {
            var starting = StartupAsync(container, startup, instance.Token);
            if (await Task.WhenAny(exited, starting) == starting)
            {
                if (!await starting)
                {
                    await instance.CancelAsync();
                    return await KillAsync(container, process, "failed its startup probe");
                }

                await MarkStartedAsync(container, stopping);
            }
        }

        var unhealthy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probes = new List<Task>();
        if (exited.IsCompleted)
        {
            // Ended while its startup probe ran: nothing more to probe.
        }
        else if (container.ReadinessProbe is { } readiness)
        {
            probes.Add(ProbeLoopAsync(container, readiness, initial: false, ready => SetReadyAsync(container.Name, ready, stopping), instance.Token));
        }

        if (!exited.IsCompleted && container.LivenessProbe is { } liveness)
        {
            probes.Add(ProbeLoopAsync(container, liveness, initial: true, alive =>
            {
                if (!alive)
                {
                    unhealthy.TrySetResult();
                }

                return Task.CompletedTask;
            }, instance.Token));
        }

        try
        {
            if (await Task.WhenAny(exited, unhealthy.Task) == exited)
            {
                await exited;
                var run = await process.WaitAsync(TimeSpan.FromSeconds(10), stopping);
                await process.DisposeAsync();
                return run;
            }

            return await KillAsync(container, process, "failed its liveness probe");
        }
        finally
        {
            await instance.CancelAsync();
            await Task.WhenAll(probes).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task<ContainerRun> KillAsync(V1Container container, LocalProcess process, string why)
    {
        var log = process.Log;
        await process.DisposeAsync();
        return new ContainerRun(container.Name, 137, [.. log, $"[kubelet] container \"{container.Name}\" {why} and was killed"], TimeSpan.Zero);
    }

    private async Task ProbeLoopAsync(V1Container container, V1Probe probe, bool initial, Func<bool, Task> changed, CancellationToken cancellationToken)
    {
        var thresholds = ProbeThresholds.For(probe, initial);
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, probe.InitialDelaySeconds ?? 0)), _options.Time, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (thresholds.Observe(await ProbeOnceAsync(container, probe, cancellationToken)))
            {
                await changed(thresholds.Succeeded);
            }

            await Task.Delay(PeriodOf(probe), _options.Time, cancellationToken);
        }
    }

    /// <summary>The startup probe until it succeeds once (true) or fails <c>failureThreshold</c> times in a row (false).</summary>
    private async Task<bool> StartupAsync(V1Container container, V1Probe probe, CancellationToken cancellationToken)
    {
        var failureThreshold = Math.Max(1, probe.FailureThreshold ?? 3);
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, probe.InitialDelaySeconds ?? 0)), _options.Time, cancellationToken);
        for (var failures = 0; ;)
        {
            if (await ProbeOnceAsync(container, probe, cancellationToken))
            {
                return true;
            }

            if (++failures >= failureThreshold)
            {
                return false;
            }

            await Task.Delay(PeriodOf(probe), _options.Time, cancellationToken);
        }
    }

    private async Task<bool> ProbeOnceAsync(V1Container container, V1Probe probe, CancellationToken cancellationToken)
    {
        try
        {
            return await _prober.ProbeAsync(_pod, container, probe, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // A probe the kubelet cannot run (an unknown port name, say) fails, as it does on a node.
            return false;
        }
    }

    private static TimeSpan PeriodOf(V1Probe probe) => TimeSpan.FromSeconds(Math.Max(1, probe.PeriodSeconds ?? 10));

    private async Task SetReadyAsync(string container, bool ready, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (ready && _running.ContainsKey(container))
            {
                _ready.Add(container);
            }
            else
            {
                _ready.Remove(container);
            }
        }

        await ReportQuietlyAsync(cancellationToken);
    }

    /// <summary>Starts the container again and runs its postStart hook; a failed hook kills it and is its run.</summary>
    private async Task<(LocalProcess Process, ContainerRun? HookFailed)> RestartAsync(V1Container container, CancellationToken stopping)
    {
        var process = await _runner.StartAsync(_pod, container.Name, stopping);
        lock (_gate)
        {
            _restarts[container.Name] = _restarts.GetValueOrDefault(container.Name) + 1;
            MarkRunning(container.Name, process);
        }

        await ReportQuietlyAsync(stopping);
        var hook = await _runner.RunPostStartAsync(_pod, container.Name, LocalPodRunner.HookTimeout, stopping);
        if (hook.ExitCode == 0)
        {
            return (process, null);
        }

        // As a kubelet does, a failed postStart hook kills the container; the restart policy decides what comes next.
        var log = process.Log;
        await process.DisposeAsync();
        return (process, new ContainerRun(container.Name, 137, [.. log, $"[kubelet] postStart hook exited with {hook.ExitCode}: {string.Join(" | ", hook.Log)}"], TimeSpan.Zero));
    }

    /// <summary>Running from now; ready unless a startup or readiness probe has yet to say so.</summary>
    private void MarkRunning(string container, LocalProcess process)
    {
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
