using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;

/// <summary>
/// One rule of a Role or ClusterRole, matched as kube-apiserver's RBAC authorizer matches it: <c>*</c> in verbs,
/// apiGroups and resources; <c>resource/subresource</c> and <c>*/subresource</c>; resourceNames only when the request
/// names an object (so never a create, or a list without a <c>metadata.name</c> field selector); nonResourceURLs with a
/// trailing <c>*</c> as a prefix.
/// </summary>
public sealed record PolicyRule(
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ApiGroups,
    IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames,
    IReadOnlyList<string> NonResourceUrls)
{
    private const string All = "*";

    public bool Allows(AuthorizationAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Verbs.Any(v => v == All || v == request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrls.Any(url => url == All || url == request.Path ||
                (url.EndsWith('*') && request.Path.StartsWith(url.TrimEnd('*'), StringComparison.Ordinal)));
        }

        var combined = request.Subresource.Length == 0 ? request.Resource : request.Resource + "/" + request.Subresource;
        return ApiGroups.Any(g => g == All || g == request.ApiGroup) &&
            Resources.Any(r => r == All || r == combined ||
                (request.Subresource.Length > 0 && r.Length == request.Subresource.Length + 2 && r.StartsWith("*/", StringComparison.Ordinal) && r.EndsWith(request.Subresource, StringComparison.Ordinal))) &&
            (ResourceNames.Count == 0 || ResourceNames.Contains(request.Name));
    }

    /// <summary>Reads a rule of a stored Role or ClusterRole; missing lists are empty.</summary>
    public static PolicyRule FromJson(JsonNode? rule) => new(
        Strings(rule?["verbs"]), Strings(rule?["apiGroups"]), Strings(rule?["resources"]), Strings(rule?["resourceNames"]), Strings(rule?["nonResourceURLs"]));

    /// <summary>A rule as a role stores it (the shape the bootstrap roles are written in).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        Add(json, "verbs", Verbs);
        Add(json, "apiGroups", ApiGroups);
        Add(json, "resources", Resources);
        Add(json, "resourceNames", ResourceNames);
        Add(json, "nonResourceURLs", NonResourceUrls);
        return json;
    }

    private static void Add(JsonObject json, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0 || name == "verbs")
        {
            json[name] = new JsonArray([.. values.Select(v => (JsonNode)v)]);
        }
    }

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>()] : [];
}
