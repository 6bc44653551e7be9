using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Webhook.Tests.Mutation;

namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

/// <summary>
/// The production composition against the sandbox API server at a chosen Kubernetes version: where the proxy
/// sidecar goes is decided once at start-up (<c>/version</c> asked once in auto mode, never per admission).
/// </summary>
public sealed class ProxySidecarPlacementTests
{
    [Theory(Timeout = 90_000)]
    [InlineData(33, null, "initContainers", 1)]
    [InlineData(32, "auto", "initContainers", 1)]
    [InlineData(31, null, "containers", 1)]
    [InlineData(33, "container", "containers", 0)]
    [InlineData(29, "native", "initContainers", 0)]
    public async Task Start_ServerVersionAndMode_PlacesSidecarFirstInList(int minor, string? mode, string list, int versionRequests)
    {
        var versionCalls = 0;
        var options = new KubernetesApiServerOptions
        {
            KubernetesVersion = new Version(1, minor),
            OnRequest = context =>
            {
                if (context.Request.Path == "/version")
                {
                    Interlocked.Increment(ref versionCalls);
                }

                return Task.CompletedTask;
            },
        };
        await using var api = await KubernetesApiServer.StartAsync(options);
        api.Store.EnsureNamespaceExists("apps");
        api.Store.Create(ResourceCatalog.ServiceAccounts, "apps", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = "orders", ["namespace"] = "apps" },
        });
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"azwi-webhook-kubeconfig-{Guid.NewGuid():N}");
        api.WriteKubeconfig(kubeconfig);
        try
        {
            string[] args = mode is null ? ["--kubeconfig", kubeconfig] : ["--kubeconfig", kubeconfig, "--proxy-sidecar-mode", mode];
            await using var host = await WebhookHost.StartAsync(args, inMemoryLookup: false);
            await host.WaitReadyAsync();

            for (var i = 0; i < 3; i++)
            {
                var pod = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = "job-" + i,
                        ["labels"] = new JsonObject { ["azure.workload.identity/use"] = "true" },
                        ["annotations"] = new JsonObject { ["azure.workload.identity/inject-proxy-sidecar"] = "true" },
                    },
                    ["spec"] = new JsonObject { ["serviceAccountName"] = "orders", ["containers"] = new JsonArray(new JsonObject { ["name"] = "app" }) },
                };
                var (_, review) = await AdmissionReviews.PostAsync(host.Client, AdmissionReviews.Create(pod, uid: $"placement-{i}").ToJsonString());
                var patched = PodPatch.Apply(pod, Convert.FromBase64String((string)review!["response"]!["patch"]!));

                var first = patched["spec"]![list]![0]!;
                Assert.Equal("azwi-proxy", (string?)first["name"]);
                Assert.Equal(list == "initContainers" ? "Always" : null, (string?)first["restartPolicy"]);
                Assert.Contains("--log-level=warning", first["args"]!.AsArray().Select(a => (string?)a));
                var others = list == "initContainers" ? "containers" : "initContainers";
                Assert.DoesNotContain(patched["spec"]![others]!.AsArray(), c => (string?)c!["name"] == "azwi-proxy");
            }

            Assert.Equal(versionRequests, Volatile.Read(ref versionCalls));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
