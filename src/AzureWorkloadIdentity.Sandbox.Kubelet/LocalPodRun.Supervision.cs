using AzureWorkloadIdentity.Sandbox.Kubelet.Restarts;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// How a pod run follows each of its containers across restarts, as a kubelet does: probes each instance, records how
/// it ended, kills it on a failed liveness probe or postStart hook, and starts it again after the crash-loop back-off
/// when the restart policy says so.
/// </summary>
public sealed partial class LocalPodRun
{
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
}
