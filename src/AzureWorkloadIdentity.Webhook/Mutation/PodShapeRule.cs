using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Checks the parts of the pod the patch addresses have the types the paths assume, so an <c>add</c> can never
/// replace a member of the wrong type. The API server only sends decoded pods, so this guards hand-made requests.
/// </summary>
public static class PodShapeRule
{
    /// <summary>Null when the shape is usable, else a message naming the offending field.</summary>
    public static string? Validate(JsonElement pod)
    {
        var spec = PodJson.Object(pod, "spec");
        if (spec.ValueKind != JsonValueKind.Object)
        {
            return "the object is not a valid pod: spec is missing or not an object";
        }

        return CheckArray(spec, "volumes", "spec")
            ?? CheckContainers(spec, "initContainers")
            ?? CheckContainers(spec, "containers");
    }

    private static string? CheckContainers(JsonElement spec, string field)
    {
        var error = CheckArray(spec, field, "spec");
        var containers = PodJson.Array(spec, field);
        if (error is not null || containers.ValueKind != JsonValueKind.Array)
        {
            return error;
        }

        var i = 0;
        foreach (var container in containers.EnumerateArray())
        {
            if (container.ValueKind != JsonValueKind.Object)
            {
                return $"the object is not a valid pod: spec.{field}[{i}] is not an object";
            }

            error = CheckArray(container, "env", field, i) ?? CheckArray(container, "volumeMounts", field, i);
            if (error is not null)
            {
                return error;
            }

            i++;
        }

        return null;
    }

    // The container's location is formatted only when there is an error to report.
    private static string? CheckArray(JsonElement container, string member, string field, int index) =>
        IsNeitherArrayNorNull(container, member) ? NotAnArray($"spec.{field}[{index}]", member) : null;

    private static string? CheckArray(JsonElement parent, string member, string where) =>
        IsNeitherArrayNorNull(parent, member) ? NotAnArray(where, member) : null;

    private static bool IsNeitherArrayNorNull(JsonElement parent, string member) =>
        parent.TryGetProperty(member, out var value) && value.ValueKind is not JsonValueKind.Null and not JsonValueKind.Array;

    private static string NotAnArray(string where, string member) => $"the object is not a valid pod: {where}.{member} is not an array";
}
