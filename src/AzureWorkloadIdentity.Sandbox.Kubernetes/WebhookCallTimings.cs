namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// How long the API server waited for each webhook call (from sending the review to having read the answer) and
/// how each ended: what kube-apiserver's <c>apiserver_admission_webhook_admission_duration_seconds</c> and
/// <c>apiserver_admission_webhook_rejection_count</c> report. Off unless given to <see cref="MutatingWebhookAdmission"/>
/// (benchmarks read it in process); it keeps every call, so it is for bounded runs, not a long-lived server.
/// </summary>
public sealed class WebhookCallTimings
{
    private readonly Lock _gate = new();
    private readonly List<double> _milliseconds = [];
    private long _allowed;
    private long _refused;
    private long _failed;

    /// <summary>Calls answered <c>allowed: true</c>.</summary>
    public long Allowed => Interlocked.Read(ref _allowed);

    /// <summary>Calls answered <c>allowed: false</c>.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Calls that failed (connection, timeout, status, unreadable answer), whatever the failure policy.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The waits recorded so far, in milliseconds, sorted.</summary>
    public IReadOnlyList<double> SortedMilliseconds()
    {
        double[] copy;
        lock (_gate)
        {
            copy = [.. _milliseconds];
        }

        Array.Sort(copy);
        return copy;
    }

    /// <summary>The <paramref name="fraction"/> quantile (0.5, 0.99) of the waits, in milliseconds; NaN before any call.</summary>
    public double Percentile(double fraction)
    {
        var sorted = SortedMilliseconds();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * fraction))];
    }

    /// <summary>Forgets every call (between the phases of a run).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _milliseconds.Clear();
        }

        Interlocked.Exchange(ref _allowed, 0);
        Interlocked.Exchange(ref _refused, 0);
        Interlocked.Exchange(ref _failed, 0);
    }

    internal void Record(TimeSpan wait, WebhookCallOutcome outcome)
    {
        lock (_gate)
        {
            _milliseconds.Add(wait.TotalMilliseconds);
        }

        switch (outcome)
        {
            case WebhookCallOutcome.Allowed:
                Interlocked.Increment(ref _allowed);
                break;
            case WebhookCallOutcome.Refused:
                Interlocked.Increment(ref _refused);
                break;
            default:
                Interlocked.Increment(ref _failed);
                break;
        }
    }
}
