using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Webhook.Tests.Hosting;
using Microsoft.AspNetCore.Http;

namespace AzureWorkloadIdentity.Webhook.Tests.Admission;

/// <summary>
/// The production composition against an API server that accepts reads of single service accounts and never answers
/// them: the webhook's denial must reach the API server before it stops waiting (issue 16 §1).
/// </summary>
public sealed class AdmissionDeadlineTests
{
    private const int TimeoutSeconds = 3;

    [Fact(Timeout = 60_000)]
    public async Task Post_ApiServerHangsOnUncachedLookups_DeniesEachBeforeTimeoutSecondsMinusHalfASecond()
    {
        using var hang = new CancellationTokenSource();
        await using var api = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions
        {
            OnRequest = context => IsSingleServiceAccountRead(context.Request) ? Task.Delay(Timeout.Infinite, hang.Token) : Task.CompletedTask,
        });
        api.Store.EnsureNamespaceExists("apps");
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"azwi-webhook-kubeconfig-{Guid.NewGuid():N}");
        api.WriteKubeconfig(kubeconfig);
        try
        {
            await using var host = await WebhookHost.StartAsync(
                ["--kubeconfig", kubeconfig, "--webhook-timeout-seconds", TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                inMemoryLookup: false);
            await host.WaitReadyAsync();

            // Distinct accounts created after the list are uncached: each admission needs its own read, and each hangs.
            var admissions = Enumerable.Range(0, 6).Select(i => TimedAdmissionAsync(host.Client, $"created-after-sync-{i}")).ToArray();
            var results = await Task.WhenAll(admissions);

            var limit = TimeSpan.FromSeconds(TimeoutSeconds - 0.5);
            Assert.All(results, result =>
            {
                Assert.Equal(HttpStatusCode.OK, result.Status);
                Assert.False((bool)result.Review!["response"]!["allowed"]!);
                var message = (string)result.Review["response"]!["status"]!["message"]!;
                Assert.Contains("could not look up service account apps/created-after-sync-", message, StringComparison.Ordinal);
                Assert.Contains("did not answer", message, StringComparison.Ordinal);
                Assert.True(result.Elapsed < limit, $"the denial took {result.Elapsed.TotalSeconds:0.000} s; the API server gives up after {TimeoutSeconds} s");
            });
            hang.Cancel();
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static bool IsSingleServiceAccountRead(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Query["watch"] != "true" &&
        (request.Path.Value ?? "").Contains("/serviceaccounts/", StringComparison.Ordinal);

    private static async Task<(HttpStatusCode Status, JsonObject? Review, TimeSpan Elapsed)> TimedAdmissionAsync(HttpClient client, string account)
    {
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["generateName"] = "x-", ["labels"] = new JsonObject { ["azure.workload.identity/use"] = "true" } },
            ["spec"] = new JsonObject { ["serviceAccountName"] = account, ["containers"] = new JsonArray(new JsonObject { ["name"] = "app" }) },
        };
        var started = Stopwatch.GetTimestamp();
        var (response, review) = await AdmissionReviews.PostAsync(client, AdmissionReviews.Create(pod, uid: account).ToJsonString());
        using (response)
        {
            return (response.StatusCode, review, Stopwatch.GetElapsedTime(started));
        }
    }
}
