namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// How long the API server waited for each webhook call (from handing the serialized review to the HTTP client to
/// having read the answer's bytes), the part of that wait in which the API server's own process was not stopped by
/// its garbage collector (a pause stops every thread of this .NET process; kube-apiserver's collector, concurrent, has
/// no such pauses), how long the whole call took (also building the review from the object and
/// reading the answer: the API server's own work, as kube-apiserver's
/// <c>apiserver_admission_webhook_admission_duration_seconds</c> counts it), and how each ended
/// (<c>apiserver_admission_webhook_rejection_count</c>). Off unless given to <see cref="MutatingWebhookAdmission"/>
/// (benchmarks read it in process); it keeps every call, so it is for bounded runs, not a long-lived server.
/// </summary>
public sealed class WebhookCallTimings
{
    private readonly Lock _gate = new();
    private readonly List<double> _milliseconds = [];
    private readonly List<double> _callMilliseconds = [];
    private readonly List<double> _unpausedMilliseconds = [];
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
    public IReadOnlyList<double> SortedMilliseconds() => Sorted(_milliseconds);

    /// <summary>The <paramref name="fraction"/> quantile (0.5, 0.99) of the waits, in milliseconds; NaN before any call.</summary>
    public double Percentile(double fraction) => Quantile(SortedMilliseconds(), fraction);

    /// <summary>The <paramref name="fraction"/> quantile of the waits less the API server's own collector pauses during each, in milliseconds.</summary>
    public double UnpausedPercentile(double fraction) => Quantile(Sorted(_unpausedMilliseconds), fraction);

    /// <summary>The <paramref name="fraction"/> quantile of the whole calls (building the review, the wait, reading the answer), in milliseconds.</summary>
    public double CallPercentile(double fraction) => Quantile(Sorted(_callMilliseconds), fraction);

    /// <summary>Forgets every call (between the phases of a run).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _milliseconds.Clear();
            _callMilliseconds.Clear();
            _unpausedMilliseconds.Clear();
        }

        Interlocked.Exchange(ref _allowed, 0);
        Interlocked.Exchange(ref _refused, 0);
        Interlocked.Exchange(ref _failed, 0);
    }

    internal void Record(TimeSpan wait, TimeSpan paused, TimeSpan call, WebhookCallOutcome outcome)
    {
        lock (_gate)
        {
            _milliseconds.Add(wait.TotalMilliseconds);
            _unpausedMilliseconds.Add(Math.Max(0, (wait - paused).TotalMilliseconds));
            _callMilliseconds.Add(call.TotalMilliseconds);
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

    private static double Quantile(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * fraction))];

    private double[] Sorted(List<double> values)
    {
        double[] copy;
        lock (_gate)
        {
            copy = [.. values];
        }

        Array.Sort(copy);
        return copy;
    }
}
