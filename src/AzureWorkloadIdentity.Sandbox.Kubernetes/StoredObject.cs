using System.Text.Json;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// One immutable version of an object. The JSON is kept serialised (what responses and watch events send);
/// <see cref="ToJsonObject"/> gives a private copy to read or change.
/// </summary>
public sealed class StoredObject
{
    private StoredObject(ResourceType type, ObjectName name, long resourceVersion, string uid, byte[] utf8Json, JsonObject parsed)
    {
        Type = type;
        Name = name;
        ResourceVersion = resourceVersion;
        Uid = uid;
        Utf8Json = utf8Json;
        Labels = ReadStringMap(parsed, "labels");
        OwnerUids = ReadOwnerUids(parsed);
        IsDeleting = parsed["metadata"]?["deletionTimestamp"] is not null;
        Finalizers = parsed["metadata"]?["finalizers"] is JsonArray finalizers
            ? [.. finalizers.Select(f => f?.GetValue<string>()).OfType<string>()]
            : [];
    }

    public ResourceType Type { get; }

    public ObjectName Name { get; }

    public long ResourceVersion { get; }

    public string Uid { get; }

    public ReadOnlyMemory<byte> Utf8Json { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>UIDs of <c>metadata.ownerReferences</c> (used for cascading deletion).</summary>
    public IReadOnlyList<string> OwnerUids { get; }

    /// <summary>Whether <c>metadata.deletionTimestamp</c> is set: deleted, held by finalizers or a pod's grace period.</summary>
    public bool IsDeleting { get; }

    public IReadOnlyList<string> Finalizers { get; }

    public JsonObject ToJsonObject() => (JsonNode.Parse(Utf8Json.Span) as JsonObject)!;

    internal static StoredObject Create(ResourceType type, ObjectName name, long resourceVersion, string uid, JsonObject value) =>
        new(type, name, resourceVersion, uid, JsonSerializer.SerializeToUtf8Bytes(value, KubernetesJsonContext.Default.JsonObject), value);

    private static Dictionary<string, string> ReadStringMap(JsonObject value, string property)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value["metadata"]?[property] is JsonObject source)
        {
            foreach (var (key, node) in source)
            {
                if (node is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    map[key] = text;
                }
            }
        }

        return map;
    }

    private static string[] ReadOwnerUids(JsonObject value) =>
        value["metadata"]?["ownerReferences"] is JsonArray owners
            ? [.. owners.Select(o => o?["uid"]?.GetValue<string>()).OfType<string>()]
            : [];
}
