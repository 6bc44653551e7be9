using System.Collections.Concurrent;
using AzureWorkloadIdentity.Webhook.Mutation;
using Prometheus;

namespace AzureWorkloadIdentity.Webhook.Diagnostics;

/// <summary>
/// The webhook's Prometheus metrics, in a registry owned by this instance (no static state, so several webhooks
/// can run in one test process).
/// </summary>
public sealed class WebhookMetrics
{
    /// <summary>Bucket upper bounds of <c>azwi_mutation_request</c>, in seconds (as the original).</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } =
    [
        0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009, 0.01,
        0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1,
        0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
        1.5, 2, 2.5, 3,
    ];

    private readonly Histogram _latency;
    private readonly Counter _admissions;

    // The labelled children, looked up once per label value: WithLabels builds and hashes a label sequence and takes
    // the collector's lock on every call. The sets are as bounded as the series themselves (outcome × reason is
    // fixed; one entry per namespace, whose series prometheus-net keeps for the process's life anyway).
    private readonly ConcurrentDictionary<(MutationOutcome Outcome, string Reason), Counter.Child> _admissionSeries = new();
    private readonly ConcurrentDictionary<string, Histogram.Child> _latencySeries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter.Child> _warningSeries = new(StringComparer.Ordinal);

    public WebhookMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _latency = factory.CreateHistogram(
            "azwi_mutation_request",
            "Distribution of how long it took for the azure-workload-identity mutation request",
            new HistogramConfiguration { LabelNames = ["namespace"], Buckets = [.. LatencyBuckets] });
        _admissions = factory.CreateCounter(
            "azwi_admissions_total",
            "Admission requests answered, by outcome (mutated, skipped, denied) and reason; warnings answered, by reason (outcome warning)",
            new CounterConfiguration { LabelNames = ["outcome", "reason"] });
    }

    /// <summary>The registry <c>/metrics</c> exposes.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Records one answered admission; the latency only for pods past the opt-in decision.</summary>
    public void Record(MutationOutcome outcome, string reason, bool optedIn, string @namespace, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(@namespace);
        _admissionSeries.GetOrAdd((outcome, reason), static (key, counter) => counter.WithLabels(OutcomeLabel(key.Outcome), key.Reason), _admissions).Inc();
        if (optedIn)
        {
            _latencySeries.GetOrAdd(@namespace, static (name, histogram) => histogram.WithLabels(name), _latency).Observe(elapsed.TotalSeconds);
        }
    }

    /// <summary>Counts one admission warning as <c>azwi_admissions_total{outcome="warning",reason}</c> (besides its admission's own count).</summary>
    public void RecordWarning(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        _warningSeries.GetOrAdd(reason, static (key, counter) => counter.WithLabels("warning", key), _admissions).Inc();
    }

    private static string OutcomeLabel(MutationOutcome outcome) => outcome switch
    {
        MutationOutcome.Mutated => "mutated",
        MutationOutcome.Denied => "denied",
        _ => "skipped",
    };
}
