using System.Text;
using AzureWorkloadIdentity.Webhook.Diagnostics;
using AzureWorkloadIdentity.Webhook.Mutation;

namespace AzureWorkloadIdentity.Webhook.Tests.Diagnostics;

/// <summary>Repeated label values land in the same series (the children are looked up once and reused).</summary>
public sealed class WebhookMetricsTests
{
    [Fact(Timeout = 30_000)]
    public async Task Record_RepeatedAndDistinctLabels_CountsEachSeries()
    {
        var metrics = new WebhookMetrics();

        for (var i = 0; i < 3; i++)
        {
            metrics.Record(MutationOutcome.Mutated, "mutated", true, "team-a", TimeSpan.FromMilliseconds(1.5));
        }

        metrics.Record(MutationOutcome.Mutated, "mutated", true, "team-b", TimeSpan.FromMilliseconds(20));
        metrics.Record(MutationOutcome.Skipped, "not-opted-in", false, "team-a", TimeSpan.FromMilliseconds(1));
        metrics.Record(MutationOutcome.Denied, "bad-request", false, "", TimeSpan.Zero);
        metrics.Record(MutationOutcome.Denied, "bad-request", false, "", TimeSpan.Zero);
        var text = await ExportAsync(metrics);

        Assert.Contains("azwi_admissions_total{outcome=\"mutated\",reason=\"mutated\"} 4", text, StringComparison.Ordinal);
        Assert.Contains("azwi_admissions_total{outcome=\"skipped\",reason=\"not-opted-in\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("azwi_admissions_total{outcome=\"denied\",reason=\"bad-request\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("azwi_mutation_request_count{namespace=\"team-a\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("azwi_mutation_request_bucket{namespace=\"team-a\",le=\"0.001\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("azwi_mutation_request_bucket{namespace=\"team-a\",le=\"0.002\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("azwi_mutation_request_count{namespace=\"team-b\"} 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("azwi_mutation_request_count{namespace=\"\"}", text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task RecordWarning_ReasonTwice_CountedUnderOutcomeWarning()
    {
        var metrics = new WebhookMetrics();

        metrics.RecordWarning(WarningReasons.NearMissKey);
        metrics.RecordWarning(WarningReasons.NearMissKey);
        metrics.RecordWarning(WarningReasons.UseNotTrue);
        var text = await ExportAsync(metrics);

        Assert.Contains("azwi_admissions_total{outcome=\"warning\",reason=\"near-miss-key\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("azwi_admissions_total{outcome=\"warning\",reason=\"use-not-true\"} 1", text, StringComparison.Ordinal);
    }

    private static async Task<string> ExportAsync(WebhookMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
