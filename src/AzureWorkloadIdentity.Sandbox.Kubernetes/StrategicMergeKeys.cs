using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The <c>patchStrategy</c>/<c>patchMergeKey</c> facts of the Kubernetes API types the sandbox serves, by list field
/// name (the names do not collide within these kinds, except <c>ports</c>: a container's merge on
/// <c>containerPort</c>, a Service's on <c>port</c>). Lists not named here are atomic: a patch replaces them.
/// </summary>
internal static class StrategicMergeKeys
{
    private static readonly Dictionary<string, string> KeyedLists = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["hostAliases"] = "ip",
        ["ownerReferences"] = "uid",
        ["conditions"] = "type",
        ["secrets"] = "name",
        ["topologySpreadConstraints"] = "topologyKey",
        ["resourceClaims"] = "name",
        ["webhooks"] = "name",
    };

    /// <summary>Lists of scalars merged as sets (<c>patchStrategy:"merge"</c> without a key).</summary>
    private static readonly HashSet<string> MergedScalarLists = new(StringComparer.Ordinal) { "finalizers" };

    /// <summary>The merge key of list <paramref name="field"/>, or null when the list is replaced whole.</summary>
    public static string? KeyOf(string field, JsonArray? current, JsonArray patch)
    {
        if (field == "ports")
        {
            var sample = patch.Concat(current ?? []).OfType<JsonObject>().FirstOrDefault();
            return sample?.ContainsKey("containerPort") == true ? "containerPort" : "port";
        }

        return KeyedLists.GetValueOrDefault(field);
    }

    public static bool IsMergedScalarList(string field) => MergedScalarLists.Contains(field);
}
