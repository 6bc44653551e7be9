using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Events;

/// <summary>
/// The object an Event is about — its <c>involvedObject</c> — and, for a container's events, the part of it
/// (<see cref="FieldPath"/>, e.g. <c>spec.containers{app}</c>), as client-go's recorder takes them from an object
/// reference. A cluster-scoped object has no <see cref="Namespace"/>; its events go to <c>default</c>.
/// </summary>
public sealed record EventTarget(
    string ApiVersion, string Kind, string? Namespace, string Name, string? Uid = null, string? ResourceVersion = null, string? FieldPath = null)
{
    /// <summary>A stored object as the target.</summary>
    public static EventTarget Of(StoredObject stored, string? fieldPath = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new EventTarget(
            stored.Type.ApiVersion, stored.Type.Kind, stored.Type.Namespaced ? stored.Name.Namespace : null, stored.Name.Name, stored.Uid,
            stored.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), fieldPath);
    }

    /// <summary>The namespace the Event object is stored in.</summary>
    public string EventNamespace => string.IsNullOrEmpty(Namespace) ? "default" : Namespace;

    internal JsonObject ToJson()
    {
        var reference = new JsonObject { ["kind"] = Kind };
        Add(reference, "namespace", Namespace);
        reference["name"] = Name;
        Add(reference, "uid", Uid);
        reference["apiVersion"] = ApiVersion;
        Add(reference, "resourceVersion", ResourceVersion);
        Add(reference, "fieldPath", FieldPath);
        return reference;
    }

    private static void Add(JsonObject json, string property, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json[property] = value;
        }
    }
}
