using System.Globalization;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// How long one admission may take, derived from the <c>timeoutSeconds</c> of the webhook configuration. The API
/// server stops waiting after <c>timeoutSeconds</c> and then applies the failure policy; with the default
/// <c>failurePolicy: Ignore</c> a late denial is never seen and the pod is admitted without its identity. A third of
/// the time (at least 0.5 s) is left for the network, TLS, queueing and writing the answer, so a clear denial arrives
/// while the API server still listens: 2 s at the chart's <c>timeoutSeconds: 3</c>, 6.7 s at the API server's
/// default of 10.
/// </summary>
internal sealed record AdmissionBudget
{
    /// <summary>The chart's and the manifest's <c>timeoutSeconds</c>.</summary>
    public const int DefaultTimeoutSeconds = 3;

    private static readonly TimeSpan MinimumMargin = TimeSpan.FromMilliseconds(500);

    public AdmissionBudget(int timeoutSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeoutSeconds, 1);
        TimeoutSeconds = timeoutSeconds;
        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        var margin = TimeSpan.FromTicks(Math.Max(timeout.Ticks / 3, MinimumMargin.Ticks));
        Total = timeout - margin;
    }

    /// <summary>The webhook configuration's <c>timeoutSeconds</c>.</summary>
    public int TimeoutSeconds { get; }

    /// <summary>The longest time from receiving a review to answering it.</summary>
    public TimeSpan Total { get; }

    /// <summary>"2 s (timeoutSeconds 3)", for messages.</summary>
    public string Describe() =>
        $"{Total.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s (the webhook's timeoutSeconds is {TimeoutSeconds.ToString(CultureInfo.InvariantCulture)})";
}
