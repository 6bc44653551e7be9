using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The <c>scale</c> subresource of deployments, replicasets and statefulsets (<c>kubectl scale</c>): an
/// <c>autoscaling/v1</c> Scale view of the object; writing it changes only <c>spec.replicas</c> of the object.
/// </summary>
internal static class ScaleSubresource
{
    public static bool Has(ResourceType type) =>
        type.Group == "apps" && type.Plural is "deployments" or "replicasets" or "statefulsets";

    public static JsonObject View(JsonObject value)
    {
        var metadata = value["metadata"] as JsonObject ?? [];
        var view = new JsonObject();
        foreach (var key in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            view[key] = metadata[key]?.DeepClone();
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = view,
            ["spec"] = new JsonObject { ["replicas"] = value["spec"]?["replicas"]?.DeepClone() ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = value["status"]?["replicas"]?.DeepClone() ?? 0,
                ["selector"] = Selector(value["spec"]?["selector"]),
            },
        };
    }

    /// <summary>Turns a change of the Scale view into the change of the object it scales.</summary>
    public static Func<JsonObject, JsonObject> Apply(Func<JsonObject, JsonObject> changeScale) => current =>
    {
        var scale = changeScale(View(current));
        var replicas = scale["spec"]?["replicas"]?.GetValue<int>()
            ?? throw KubernetesApiException.BadRequest("the Scale has no spec.replicas");
        if (replicas < 0)
        {
            throw new KubernetesApiException(422, "Invalid", $"Scale.autoscaling \"{current["metadata"]?["name"]}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0");
        }

        current["spec"] ??= new JsonObject();
        current["spec"]!["replicas"] = replicas;
        current["metadata"]!["resourceVersion"] = scale["metadata"]?["resourceVersion"]?.DeepClone();
        return current;
    };

    private static string Selector(JsonNode? selector) =>
        string.Join(',', (selector?["matchLabels"] as JsonObject ?? []).Select(p => p.Key + "=" + p.Value));
}
