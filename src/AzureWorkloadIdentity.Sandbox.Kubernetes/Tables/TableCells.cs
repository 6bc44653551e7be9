using System.Globalization;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Tables;

/// <summary>Reading fields of an object into cell values, with kubectl's <c>&lt;none&gt;</c> for what is missing.</summary>
internal static class TableCells
{
    public const string None = "<none>";

    public static string Text(JsonNode? node, string fallback = "") =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : fallback;

    public static long Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;

    public static int Count(JsonNode? node) => node switch
    {
        JsonObject map => map.Count,
        JsonArray list => list.Count,
        _ => 0,
    };

    public static string Name(JsonObject value) => Text(value["metadata"]?["name"]);

    public static string Age(JsonObject value, DateTimeOffset now) => HumanDuration.Since(value["metadata"]?["creationTimestamp"], now);

    /// <summary>Names and images of a pod template's containers, comma-separated (the Containers and Images wide columns).</summary>
    public static (string Names, string Images) Containers(JsonNode? podSpec)
    {
        var containers = (podSpec?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        return (string.Join(',', containers.Select(c => Text(c["name"]))), string.Join(',', containers.Select(c => Text(c["image"]))));
    }

    /// <summary>A label selector as <c>k=v,k in (a,b)</c>, or <c>&lt;none&gt;</c>.</summary>
    public static string Selector(JsonNode? selector)
    {
        var parts = new List<string>();
        foreach (var (key, value) in selector?["matchLabels"] as JsonObject ?? [])
        {
            parts.Add(key + "=" + Text(value));
        }

        foreach (var expression in (selector?["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = Text(expression["key"]);
            var values = string.Join(',', (expression["values"] as JsonArray ?? []).Select(v => Text(v)));
            parts.Add(Text(expression["operator"]) switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                var other => $"{key} {other} ({values})",
            });
        }

        return parts.Count == 0 ? None : string.Join(',', parts);
    }

    /// <summary>A plain <c>k=v</c> map selector (Services), or <c>&lt;none&gt;</c>.</summary>
    public static string MapSelector(JsonNode? map) =>
        map is JsonObject { Count: > 0 } labels ? string.Join(',', labels.Select(p => p.Key + "=" + Text(p.Value))) : None;

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);
}
