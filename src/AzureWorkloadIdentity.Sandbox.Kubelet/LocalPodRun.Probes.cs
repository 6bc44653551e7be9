using AzureWorkloadIdentity.Sandbox.Kubelet.Probes;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>A container's startup, readiness and liveness probes, run on the kubelet's clock.</summary>
public sealed partial class LocalPodRun
{
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
}
