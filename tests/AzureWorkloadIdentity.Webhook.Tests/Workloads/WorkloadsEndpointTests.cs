using System.Net;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using AzureWorkloadIdentity.Webhook.Tests.Hosting;

namespace AzureWorkloadIdentity.Webhook.Tests.Workloads;

/// <summary>The workload endpoint over real HTTPS: allowed with warnings, counted in azwi_admissions_total.</summary>
public sealed class WorkloadsEndpointTests
{
    [Fact(Timeout = 30_000)]
    public async Task Post_DeploymentWithLabelOnMetadataOnly_AllowedWithWarningAndCounted()
    {
        await using var host = await WebhookHost.StartAsync();
        host.Lookup.Add(new ServiceAccountIdentity("apps", "default", new Dictionary<string, string>(), new Dictionary<string, string>()));
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"azure.workload.identity/use":"true"}},
             "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"app:1"}]}}}}
            """)!.AsObject();

        var (response, review) = await AdmissionReviews.PostAsync(
            host.Client, AdmissionReviews.CreateWorkload(deployment, "apps", "Deployment").ToJsonString(), path: WorkloadsEndpoint.Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = review!["response"]!;
        Assert.Equal("uid-1", answer["uid"]!.GetValue<string>());
        Assert.True(answer["allowed"]!.GetValue<bool>());
        Assert.Null(answer["patch"]);
        Assert.Contains("not on its pod template (spec.template.metadata.labels)", Assert.Single(answer["warnings"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);
        var metrics = await host.PlainClient.GetStringAsync(new Uri(host.MetricsUri, "/metrics"));
        Assert.Contains("azwi_admissions_total{outcome=\"skipped\",reason=\"workload\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("azwi_admissions_total{outcome=\"warning\",reason=\"label-not-on-template\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_Garbage_BadRequestLikeThePodPath()
    {
        await using var host = await WebhookHost.StartAsync();

        var (response, _) = await AdmissionReviews.PostAsync(host.Client, "garbage", path: WorkloadsEndpoint.Path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("request body is not a valid AdmissionReview", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
