using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

/// <summary>The production composition against the sandbox Kubernetes API: admissions are served from the cache.</summary>
public sealed class SteadyStateApiCallsTests
{
    [Fact(Timeout = 60_000)]
    public async Task Post_AfterCacheSynced_MakesNoApiCalls()
    {
        await using var webhook = await CachedWebhook.StartAsync();
        var gets = webhook.Api.Requests.Count("get", "serviceaccounts");
        var lists = webhook.Api.Requests.Count("list", "serviceaccounts");

        for (var i = 0; i < 20; i++)
        {
            await webhook.AdmitAsync($"steady-{i}");
        }

        Assert.Equal(gets, webhook.Api.Requests.Count("get", "serviceaccounts"));
        Assert.Equal(lists, webhook.Api.Requests.Count("list", "serviceaccounts"));
    }

    /// <summary>
    /// The two runs <c>scripts/admission-files.sh</c> compares under code coverage: the webhook started until ready, and
    /// the same plus one admission; the source files whose lines the admission ran are what one pod goes through.
    /// </summary>
    [Theory(Timeout = 60_000)]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Start_ThenAdmissions_EachMutatedFromTheCache(int admissions)
    {
        await using var webhook = await CachedWebhook.StartAsync();

        for (var i = 0; i < admissions; i++)
        {
            await webhook.AdmitAsync($"footprint-{i}");
        }

        Assert.Equal(0, webhook.Api.Requests.Count("get", "serviceaccounts"));
    }

    /// <summary>The sandbox API with one identity-enabled account, and the webhook with its real cache, ready.</summary>
    private sealed class CachedWebhook : IAsyncDisposable
    {
        private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"azwi-webhook-kubeconfig-{Guid.NewGuid():N}");
        private WebhookHost? _host;

        private CachedWebhook(KubernetesApiServer api) => Api = api;

        public KubernetesApiServer Api { get; }

        public static async Task<CachedWebhook> StartAsync()
        {
            var webhook = new CachedWebhook(await KubernetesApiServer.StartAsync());
            try
            {
                webhook.Api.Store.EnsureNamespaceExists("apps");
                webhook.Api.Store.Create(ResourceCatalog.ServiceAccounts, "apps", new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "ServiceAccount",
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = "orders",
                        ["namespace"] = "apps",
                        ["annotations"] = new JsonObject { ["azure.workload.identity/client-id"] = "client-from-api" },
                    },
                });
                webhook.Api.WriteKubeconfig(webhook._kubeconfig);
                webhook._host = await WebhookHost.StartAsync(["--kubeconfig", webhook._kubeconfig], inMemoryLookup: false);
                await webhook._host.WaitReadyAsync();
                return webhook;
            }
            catch
            {
                await webhook.DisposeAsync();
                throw;
            }
        }

        /// <summary>Posts the review of one opted-in pod of the account and asserts the patch carries its client id.</summary>
        public async Task AdmitAsync(string uid)
        {
            var pod = new JsonObject
            {
                ["metadata"] = new JsonObject { ["generateName"] = "orders-", ["labels"] = new JsonObject { ["azure.workload.identity/use"] = "true" } },
                ["spec"] = new JsonObject { ["serviceAccountName"] = "orders", ["containers"] = new JsonArray(new JsonObject { ["name"] = "app" }) },
            };
            var (_, review) = await AdmissionReviews.PostAsync(_host!.Client, AdmissionReviews.Create(pod, uid: uid).ToJsonString());
            var patch = Convert.FromBase64String((string)review!["response"]!["patch"]!);
            Assert.Contains("client-from-api", System.Text.Encoding.UTF8.GetString(patch), StringComparison.Ordinal);
        }

        public async ValueTask DisposeAsync()
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }

            await Api.DisposeAsync();
            File.Delete(_kubeconfig);
        }
    }
}
