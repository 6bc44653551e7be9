using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.OpenApi;

/// <summary>
/// The OpenAPI v3 schemas of the kinds the sandbox serves, for <c>kubectl explain</c>: generated from
/// KubernetesClient's models and their documentation by the test project's <c>OpenApiSchemaGenerator</c> into the
/// embedded <c>OpenApi/schemas.json</c> (a test fails when that file is stale), so this library needs no client
/// package. Each group-version's document gets the kinds of that group-version and every schema they reference.
/// </summary>
internal sealed class OpenApiSchemas
{
    private const string ResourceName = "AzureWorkloadIdentity.Sandbox.Kubernetes.OpenApi.schemas.json";
    private const string ReferencePrefix = "#/components/schemas/";

    private readonly Lazy<(JsonObject Schemas, string Hash)> _loaded = new(Load);

    /// <summary>Changes when the schemas change, so that clients' cached documents (keyed by it) are refreshed.</summary>
    public string Hash => _loaded.Value.Hash;

    /// <summary>The kinds of <paramref name="group"/>/<paramref name="version"/> and the schemas they reach.</summary>
    public JsonObject For(string group, string version)
    {
        var all = _loaded.Value.Schemas;
        var pending = new Stack<string>(all.Where(s => IsKindOf(s.Value!, group, version)).Select(s => s.Key));
        var reached = new SortedSet<string>(StringComparer.Ordinal);
        while (pending.TryPop(out var name))
        {
            if (reached.Add(name) && all[name] is { } schema)
            {
                foreach (var reference in References(schema))
                {
                    pending.Push(reference);
                }
            }
        }

        var result = new JsonObject();
        foreach (var name in reached)
        {
            result[name] = all[name]!.DeepClone();
        }

        return result;
    }

    private static bool IsKindOf(JsonNode schema, string group, string version) =>
        schema["x-kubernetes-group-version-kind"] is JsonArray kinds &&
        kinds.Any(k => (string?)k!["group"] == group && (string?)k["version"] == version);

    private static IEnumerable<string> References(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v && ((string?)v)?.StartsWith(ReferencePrefix, StringComparison.Ordinal) == true
            ? [((string)v!)[ReferencePrefix.Length..]]
            : p.Value is null ? [] : References(p.Value)),
        JsonArray a => a.SelectMany(i => i is null ? [] : References(i)),
        _ => [],
    };

    private static (JsonObject, string) Load()
    {
        using var stream = typeof(OpenApiSchemas).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded resource {ResourceName} is missing from the build");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var schemas = JsonNode.Parse(bytes)!.AsObject();
        return (schemas, Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]);
    }
}
