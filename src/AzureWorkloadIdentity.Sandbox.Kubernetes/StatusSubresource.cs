using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The <c>status</c> subresource of the kinds that have one: a write of the main resource keeps the stored status
/// (and a create starts without one: a pod starts <c>Pending</c>), a write of <c>/status</c> changes only the status.
/// Controllers and the kubelet report through <c>/status</c>; users' applies cannot overwrite what they report.
/// </summary>
internal static class StatusSubresource
{
    private static readonly HashSet<(string Group, string Plural)> Kinds =
    [
        ("", "pods"), ("apps", "deployments"), ("apps", "replicasets"), ("apps", "statefulsets"), ("apps", "daemonsets"),
        ("batch", "jobs"), ("batch", "cronjobs"), ("policy", "poddisruptionbudgets"),
    ];

    public static bool Has(ResourceType type) => Kinds.Contains((type.Group, type.Plural));

    public static void OnCreate(ResourceType type, JsonObject value)
    {
        if (!Has(type))
        {
            return;
        }

        value["status"] = type == ResourceCatalog.Pods ? new JsonObject { ["phase"] = "Pending" } : new JsonObject();
    }

    /// <summary>The object a write of <paramref name="subresource"/> (null: the main resource) stores.</summary>
    public static JsonObject Merge(ResourceType type, string? subresource, JsonObject current, JsonObject written)
    {
        if (!Has(type))
        {
            return written;
        }

        if (subresource == "status")
        {
            var result = (JsonObject)current.DeepClone();
            result["status"] = written["status"]?.DeepClone();
            // The writer's resourceVersion still guards against lost updates.
            result["metadata"]!["resourceVersion"] = written["metadata"]?["resourceVersion"]?.DeepClone();
            return result;
        }

        written["status"] = current["status"]?.DeepClone();
        return written;
    }
}
