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

    [Fact(Timeout = 60_000)]
    public async Task Post_BodyStopsArrivingHalfway_Answers408BeforeTimeoutSecondsMinusHalfASecond()
    {
        await using var host = await WebhookHost.StartAsync(
            ["--webhook-timeout-seconds", TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var review = System.Text.Encoding.UTF8.GetBytes(AdmissionReviews.Create(new JsonObject { ["metadata"] = new JsonObject() }).ToJsonString());
        // The connection (TLS, HTTP/2) first, so the clock below times the stalled review alone.
        var (warm, _) = await AdmissionReviews.PostAsync(host.Client, System.Text.Encoding.UTF8.GetString(review));
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        using var stalled = new CancellationTokenSource();
        using var content = new StallingContent(review.AsMemory(0, review.Length / 2), stalled.Token);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var clock = Stopwatch.StartNew();
        using var response = await host.Client.PostAsync(new Uri("/mutate-v1-pod", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        clock.Stop();
        await stalled.CancelAsync();

        Assert.Equal(HttpStatusCode.RequestTimeout, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("the AdmissionReview did not arrive within the admission budget of 2 s", text, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(TimeoutSeconds - 0.5));
    }

    /// <summary>
    /// A request body that sends <c>head</c>, flushed (HttpClient would otherwise hold the frames of a body still being
    /// written on a connection already open), and then nothing more until the test ends.
    /// </summary>
    private sealed class StallingContent(ReadOnlyMemory<byte> head, CancellationToken stalled) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(head);
            await stream.FlushAsync();
            await Task.Delay(Timeout.Infinite, stalled).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
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
