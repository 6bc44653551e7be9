using System.Text.Json;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>Tolerant readers over a pod as received; wrong types read as absent.</summary>
public static class PodJson
{
    public static JsonObject? Object(JsonObject? parent, string name) => parent?[name] as JsonObject;

    public static JsonArray? Array(JsonObject? parent, string name) => parent?[name] as JsonArray;

    public static string? String(JsonObject? parent, string name) =>
        parent?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static bool IsTrue(JsonObject? parent, string name) =>
        parent?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    public static string? Label(JsonObject pod, string key) => String(Object(Object(pod, "metadata"), "labels"), key);

    public static string? Annotation(JsonObject pod, string key) => String(Object(Object(pod, "metadata"), "annotations"), key);

    /// <summary>True when the array holds an object whose <c>name</c> equals <paramref name="name"/>.</summary>
    public static bool ContainsNamed(JsonArray? array, string name)
    {
        if (array is null)
        {
            return false;
        }

        foreach (var element in array)
        {
            if (String(element as JsonObject, "name") == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The pod's name, or <c>generateName</c> followed by " (prefix)" when it has none yet.</summary>
    public static string DisplayName(JsonObject? pod)
    {
        var metadata = Object(pod, "metadata");
        var name = String(metadata, "name");
        if (!string.IsNullOrEmpty(name))
        {
            return name;
        }

        var generateName = String(metadata, "generateName");
        return string.IsNullOrEmpty(generateName) ? "" : generateName + " (prefix)";
    }
}
