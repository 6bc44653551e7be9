using System.Globalization;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Benchmarks.Scale;

/// <summary>
/// Fills the sandbox store with <c>accounts</c> service accounts in <c>ns-0</c> … <c>ns-(namespaces-1)</c>: each
/// namespace's own <c>default</c> account counts, the rest are <c>sa-&lt;j&gt;</c> spread round-robin; an evenly spaced
/// <c>identityPercent</c> % of all accounts carry the client-id annotation and the use label (as the chart's users
/// do), the others only the labels and annotations any account has. <c>sa-0</c> (in <c>ns-0</c>) is identity-enabled,
/// <c>sa-1</c> (in <c>ns-1</c>) is plain whenever the share is below 100 %.
/// </summary>
internal static class ScaleAccounts
{
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    public static (int Created, int IdentityEnabled) Fill(ObjectStore store, int accounts, int namespaces, int identityPercent)
    {
        for (var n = 0; n < namespaces; n++)
        {
            store.EnsureNamespaceExists(Namespace(n));
        }

        var created = Math.Max(0, accounts - namespaces);
        var target = (int)((long)accounts * identityPercent / 100);
        var step = target == 0 ? int.MaxValue : Math.Max(1, created / target);
        var enabled = 0;
        for (var j = 0; j < created; j++)
        {
            var identity = enabled < target && j % step == 0;
            enabled += identity ? 1 : 0;
            store.Create(ResourceCatalog.ServiceAccounts, Namespace(j % namespaces), Account(j, Namespace(j % namespaces), identity));
        }

        return (created, enabled);
    }

    public static string Namespace(int n) => "ns-" + n.ToString(CultureInfo.InvariantCulture);

    public static string Name(int j) => "sa-" + j.ToString(CultureInfo.InvariantCulture);

    private static JsonObject Account(int j, string ns, bool identity)
    {
        var labels = new JsonObject { ["app"] = "load" };
        var annotations = new JsonObject
        {
            ["kubectl.kubernetes.io/last-applied-configuration"] = "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\"}",
        };
        if (identity)
        {
            labels["azure.workload.identity/use"] = "true";
            annotations["azure.workload.identity/client-id"] = Guid.NewGuid().ToString();
            annotations["azure.workload.identity/tenant-id"] = TenantId;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = Name(j), ["namespace"] = ns, ["labels"] = labels, ["annotations"] = annotations },
        };
    }
}
