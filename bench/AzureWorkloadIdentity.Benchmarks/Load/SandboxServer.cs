using System.Globalization;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Benchmarks.Load;

/// <summary>
/// <c>serve-sandbox &lt;kubeconfig-path&gt; &lt;service-accounts&gt;</c>: the sandbox Kubernetes API with that many
/// identity-enabled service accounts (<c>sa-&lt;i&gt;</c> in namespaces <c>ns-&lt;i % 100&gt;</c>); writes the
/// kubeconfig when the accounts exist and serves until stdin closes.
/// </summary>
public static class SandboxServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var kubeconfig = args[0];
        var count = int.Parse(args[1], CultureInfo.InvariantCulture);
        await using var server = await KubernetesApiServer.StartAsync();
        for (var i = 0; i < count; i++)
        {
            var ns = "ns-" + (i % 100).ToString(CultureInfo.InvariantCulture);
            server.Store.EnsureNamespaceExists(ns);
            server.Store.Create(ResourceCatalog.ServiceAccounts, ns, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ServiceAccount",
                ["metadata"] = new JsonObject
                {
                    ["name"] = "sa-" + i.ToString(CultureInfo.InvariantCulture),
                    ["namespace"] = ns,
                    ["labels"] = new JsonObject { ["azure.workload.identity/use"] = "true", ["app"] = "load" },
                    ["annotations"] = new JsonObject
                    {
                        ["azure.workload.identity/client-id"] = Guid.NewGuid().ToString(),
                        ["azure.workload.identity/tenant-id"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
                        ["kubectl.kubernetes.io/last-applied-configuration"] = "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\"}",
                    },
                },
            });
        }

        await File.WriteAllTextAsync(kubeconfig + ".tmp", server.KubeconfigYaml());
        File.Move(kubeconfig + ".tmp", kubeconfig, overwrite: true);
        await Console.Out.WriteLineAsync($"sandbox Kubernetes API at {server.BaseUri} with {count} service accounts");
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
