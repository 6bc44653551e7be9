using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Checks the parts of the pod the patch addresses have the types the paths assume, so an <c>add</c> can never
/// replace a member of the wrong type. The API server only sends decoded pods, so this guards hand-made requests.
/// </summary>
public static class PodShapeRule
{
    /// <summary>Null when the shape is usable, else a message naming the offending field.</summary>
    public static string? Validate(JsonObject pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod["spec"] is not JsonObject spec)
        {
            return "the object is not a valid pod: spec is missing or not an object";
        }

        return CheckArray(spec, "volumes", "spec")
            ?? CheckContainers(spec, "initContainers")
            ?? CheckContainers(spec, "containers");
    }

    private static string? CheckContainers(JsonObject spec, string field)
    {
        var error = CheckArray(spec, field, "spec");
        if (error is not null || spec[field] is not JsonArray containers)
        {
            return error;
        }

        for (var i = 0; i < containers.Count; i++)
        {
            var where = $"spec.{field}[{i}]";
            if (containers[i] is not JsonObject container)
            {
                return $"the object is not a valid pod: {where} is not an object";
            }

            error = CheckArray(container, "env", where) ?? CheckArray(container, "volumeMounts", where);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static string? CheckArray(JsonObject parent, string field, string where) =>
        parent.TryGetPropertyValue(field, out var value) && value is not null and not JsonArray
            ? $"the object is not a valid pod: {where}.{field} is not an array"
            : null;
}
