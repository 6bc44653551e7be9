using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet.Probes;

/// <summary>
/// A probe's result as the kubelet keeps it: it flips to success after <c>successThreshold</c> successes in a row and
/// to failure after <c>failureThreshold</c> failures in a row. A readiness probe starts as failed (not ready until it
/// succeeds); a liveness probe starts as succeeded.
/// </summary>
public sealed class ProbeThresholds(int successThreshold, int failureThreshold, bool initial)
{
    private int _successes;
    private int _failures;

    public static ProbeThresholds For(V1Probe probe, bool initial)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return new ProbeThresholds(Math.Max(1, probe.SuccessThreshold ?? 1), Math.Max(1, probe.FailureThreshold ?? 3), initial);
    }

    /// <summary>The current result.</summary>
    public bool Succeeded { get; private set; } = initial;

    /// <summary>Counts one probe and returns true when the result changed.</summary>
    public bool Observe(bool success)
    {
        var before = Succeeded;
        if (success)
        {
            _failures = 0;
            if (++_successes >= successThreshold)
            {
                Succeeded = true;
            }
        }
        else
        {
            _successes = 0;
            if (++_failures >= failureThreshold)
            {
                Succeeded = false;
            }
        }

        return before != Succeeded;
    }
}
