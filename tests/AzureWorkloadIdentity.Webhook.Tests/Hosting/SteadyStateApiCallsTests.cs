using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

/// <summary>The production composition against the sandbox Kubernetes API: admissions are served from the cache.</summary>
public sealed class SteadyStateApiCallsTests
{
    [Fact(Timeout = 60_000)]
    public async Task Post_AfterCacheSynced_MakesNoApiCalls()
    {
        await using var api = await KubernetesApiServer.StartAsync();
        api.Store.EnsureNamespaceExists("apps");
        api.Store.Create(ResourceCatalog.ServiceAccounts, "apps", new JsonObject
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
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"azwi-webhook-kubeconfig-{Guid.NewGuid():N}");
        api.WriteKubeconfig(kubeconfig);
        try
        {
            await using var host = await WebhookHost.StartAsync(["--kubeconfig", kubeconfig], inMemoryLookup: false);
            await host.WaitReadyAsync();
            var gets = api.Requests.Count("get", "serviceaccounts");
            var lists = api.Requests.Count("list", "serviceaccounts");

            for (var i = 0; i < 20; i++)
            {
                var pod = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["generateName"] = "orders-", ["labels"] = new JsonObject { ["azure.workload.identity/use"] = "true" } },
                    ["spec"] = new JsonObject { ["serviceAccountName"] = "orders", ["containers"] = new JsonArray(new JsonObject { ["name"] = "app" }) },
                };
                var (_, review) = await AdmissionReviews.PostAsync(host.Client, AdmissionReviews.Create(pod, uid: $"steady-{i}").ToJsonString());
                var patch = Convert.FromBase64String((string)review!["response"]!["patch"]!);
                Assert.Contains("client-from-api", System.Text.Encoding.UTF8.GetString(patch), StringComparison.Ordinal);
            }

            Assert.Equal(gets, api.Requests.Count("get", "serviceaccounts"));
            Assert.Equal(lists, api.Requests.Count("list", "serviceaccounts"));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
