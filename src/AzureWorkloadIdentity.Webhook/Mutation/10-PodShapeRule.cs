using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 10 for the pod itself: the parts the patch addresses have the types the paths assume, so an <c>add</c> can
/// never replace a member of the wrong type. The API server only sends decoded pods, so this guards hand-made requests.
/// </summary>
internal static class PodShapeRule
{
    /// <summary>The pod's spec when its shape is usable, else a denial naming the offending field.</summary>
    public static RuleResult<PodSpecView> Validate(PodView pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec;
        if (spec.Kind != JsonValueKind.Object)
        {
            return Invalid("spec is missing or not an object");
        }

        var error = NotAnArray(spec.VolumesKind, "spec", "volumes")
            ?? CheckContainers(spec.InitContainers, "initContainers")
            ?? CheckContainers(spec.Containers, "containers");
        return error is null ? spec : Invalid(error);
    }

    private static string? CheckContainers(ContainerListView list, string field)
    {
        if (NotAnArray(list.Kind, "spec", field) is { } error)
        {
            return error;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var container = list.Items[i];
            if (container.Kind != JsonValueKind.Object)
            {
                return $"spec.{field}[{i}] is not an object";
            }

            // The container's location is formatted only when there is an error to report.
            if (IsNeitherArrayNorNull(container.EnvKind) || IsNeitherArrayNorNull(container.VolumeMountsKind))
            {
                return NotAnArray(container.EnvKind, $"spec.{field}[{i}]", "env") ?? NotAnArray(container.VolumeMountsKind, $"spec.{field}[{i}]", "volumeMounts");
            }
        }

        return null;
    }

    private static string? NotAnArray(JsonValueKind kind, string where, string member) =>
        IsNeitherArrayNorNull(kind) ? $"{where}.{member} is not an array" : null;

    private static bool IsNeitherArrayNorNull(JsonValueKind kind) => kind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Array);

    private static Denial Invalid(string problem) => new(DenialReasons.InvalidPod, "the object is not a valid pod: " + problem);
}
