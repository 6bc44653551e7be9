using System.Net;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

public sealed class HealthAndMetricsTests
{
    [Fact(Timeout = 30_000)]
    public async Task Readyz_CacheNotSynced_Unavailable_ThenReadyWhenSynced()
    {
        await using var host = await WebhookHost.StartAsync();
        host.Lookup.IsSynced = false;

        using var notReady = await host.PlainClient.GetAsync(new Uri(host.HealthUri, "/readyz"));
        host.Lookup.IsSynced = true;
        using var ready = await host.PlainClient.GetAsync(new Uri(host.HealthUri, "/readyz"));
        using var live = await host.PlainClient.GetAsync(new Uri(host.HealthUri, "/healthz"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Readyz_NoCertificate_UnavailableButLive()
    {
        await using var host = await WebhookHost.StartAsync(writeCertificate: false);

        using var readyz = await host.PlainClient.GetAsync(new Uri(host.HealthUri, "/readyz"));
        using var healthz = await host.PlainClient.GetAsync(new Uri(host.HealthUri, "/healthz"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Metrics_AfterAdmissions_ExposesHistogramAndOutcomeCounter()
    {
        await using var host = await WebhookHost.StartAsync();
        host.Lookup.Add(new ServiceAccountIdentity("team-a", "default", new Dictionary<string, string>(), new Dictionary<string, string>()));
        var labelled = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "p", ["labels"] = new JsonObject { ["azure.workload.identity/use"] = "true" } },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c" }) },
        };
        var unlabelled = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "q" }, ["spec"] = new JsonObject() };
        await AdmissionReviews.PostAsync(host.Client, AdmissionReviews.Create(labelled, @namespace: "team-a").ToJsonString());
        await AdmissionReviews.PostAsync(host.Client, AdmissionReviews.Create(unlabelled, @namespace: "team-a").ToJsonString());
        await AdmissionReviews.PostAsync(host.Client, "garbage");

        var text = await host.PlainClient.GetStringAsync(new Uri(host.MetricsUri, "/metrics"));

        Assert.Contains("azwi_mutation_request_bucket{namespace=\"team-a\",le=\"0.001\"}", text, StringComparison.Ordinal);
        Assert.Contains("azwi_mutation_request_bucket{namespace=\"team-a\",le=\"2.5\"}", text, StringComparison.Ordinal);
        Assert.Contains("azwi_mutation_request_count{namespace=\"team-a\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("azwi_admissions_total{outcome=\"mutated\",reason=\"mutated\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("azwi_admissions_total{outcome=\"skipped\",reason=\"not-opted-in\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("azwi_admissions_total{outcome=\"denied\",reason=\"bad-request\"} 1", text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Metrics_OnWebhookListener_NotFound()
    {
        await using var host = await WebhookHost.StartAsync();

        using var response = await host.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var health = await host.PlainClient.GetAsync(new Uri(host.MetricsUri, "/healthz"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, health.StatusCode);
    }
}
