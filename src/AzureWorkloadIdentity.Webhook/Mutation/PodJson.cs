using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Tolerant readers over a pod as received, read in place from the request's <see cref="JsonDocument"/>: wrong JSON
/// types read as absent (an <see cref="JsonValueKind.Undefined"/> element, null or false), and a parent that is not
/// an object has no members.
/// </summary>
/// <remarks>
/// Reading the elements directly, instead of through <c>JsonObject</c>, materialises nothing: a typical admission
/// touches a dozen members, and a node dictionary for every object on the way cost more than the rest of the mutation.
/// </remarks>
public static class PodJson
{
    /// <summary>The member <paramref name="name"/> when it is an object, else an undefined element.</summary>
    public static JsonElement Object(JsonElement parent, string name) => Member(parent, name, JsonValueKind.Object);

    /// <summary>The member <paramref name="name"/> when it is an array, else an undefined element.</summary>
    public static JsonElement Array(JsonElement parent, string name) => Member(parent, name, JsonValueKind.Array);

    /// <summary>The member <paramref name="name"/> when it is a string, else null.</summary>
    public static string? String(JsonElement parent, string name) =>
        Member(parent, name, JsonValueKind.String) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>True when the member <paramref name="name"/> is a string equal to <paramref name="expected"/> (no allocation).</summary>
    public static bool StringEquals(JsonElement parent, string name, string expected) =>
        Member(parent, name, JsonValueKind.String) is { ValueKind: JsonValueKind.String } value && value.ValueEquals(expected);

    /// <summary>True when the member <paramref name="name"/> is JSON <c>true</c>.</summary>
    public static bool IsTrue(JsonElement parent, string name) => Member(parent, name, JsonValueKind.True).ValueKind == JsonValueKind.True;

    /// <summary>The pod's <c>metadata.labels</c> object, or an undefined element.</summary>
    public static JsonElement Labels(JsonElement pod) => Object(Object(pod, "metadata"), "labels");

    /// <summary>The pod's <c>metadata.annotations</c> object, or an undefined element.</summary>
    public static JsonElement Annotations(JsonElement pod) => Object(Object(pod, "metadata"), "annotations");

    /// <summary>The pod annotation <paramref name="key"/> when it is a string, else null.</summary>
    public static string? Annotation(JsonElement pod, string key) => String(Annotations(pod), key);

    /// <summary>True when the array holds an object whose <c>name</c> is the string <paramref name="name"/>.</summary>
    public static bool ContainsNamed(JsonElement array, string name)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var element in array.EnumerateArray())
        {
            if (StringEquals(element, "name", name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The pod's name, or <c>generateName</c> followed by " (prefix)" when it has none yet.</summary>
    public static string DisplayName(JsonElement pod)
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

    private static JsonElement Member(JsonElement parent, string name, JsonValueKind kind) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == kind ? value : default;
}
