using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.EndToEndTests.Install;

/// <summary>
/// One rule of the ClusterRoles and Roles the chart installed, read back from the cluster by the release's label (so
/// the tests follow the chart, not a list of their own).
/// </summary>
internal sealed record ChartRule(string Kind, string? Namespace, string Role, int Index, JsonObject Rule)
{
    public IReadOnlyList<string> Verbs => Strings("verbs");

    /// <summary>Each resource as kubectl and the webhook's log name it: <c>resource[.group]</c>.</summary>
    public IReadOnlyList<string> Resources =>
        [.. Strings("apiGroups").SelectMany(group => Strings("resources").Select(resource => group.Length == 0 ? resource : $"{resource}.{group}"))];

    public IReadOnlyList<string> ResourceNames => Strings("resourceNames");

    /// <summary>kubectl's arguments for the role's scope: <c>-n ns</c>, or nothing for a ClusterRole.</summary>
    public string[] Scope => Namespace is null ? [] : ["-n", Namespace];

    /// <summary>The JSON patch that takes this rule out of its role, and the one that puts it back where it was.</summary>
    public string RemovePatch => $$"""[{"op":"remove","path":"/rules/{{Index}}"}]""";

    public string RestorePatch => $$"""[{"op":"add","path":"/rules/{{Index}}","value":{{Rule.ToJsonString()}}}]""";

    public override string ToString() =>
        $"{Kind} {Namespace}{(Namespace is null ? "" : "/")}{Role} rule {Index} ({string.Join(',', Verbs)} on {string.Join(',', Resources)}{(ResourceNames.Count > 0 ? " named " + string.Join(',', ResourceNames) : "")})";

    public static async Task<IReadOnlyList<ChartRule>> ReadAsync(ClusterTools tools)
    {
        var list = JsonNode.Parse(await tools.KubectlAsync("get", "clusterrole,role", "-A", "-l", $"release={InstallWorld.Release}", "-o", "json"))!;
        return
        [
            .. list["items"]!.AsArray().SelectMany(item => item!["rules"]!.AsArray().Select((rule, index) => new ChartRule(
                item["kind"]!.GetValue<string>(),
                item["metadata"]!["namespace"]?.GetValue<string>(),
                item["metadata"]!["name"]!.GetValue<string>(),
                index,
                (JsonObject)rule!.DeepClone()))),
        ];
    }

    private string[] Strings(string field) => Rule[field] is JsonArray values ? [.. values.Select(v => v!.GetValue<string>())] : [];
}
