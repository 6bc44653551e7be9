using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// <c>dryRun=All</c> (<c>kubectl ... --dry-run=server</c>): the answer a request would get, with the same existence
/// checks, and nothing stored.
/// </summary>
internal static class DryRun
{
    public static JsonObject Create(ObjectStore store, ResourceType type, string? @namespace, JsonObject value)
    {
        var metadata = value["metadata"] as JsonObject ?? [];
        value["metadata"] = metadata;
        var name = metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            var generateName = metadata["generateName"]?.GetValue<string>();
            name = string.IsNullOrEmpty(generateName)
                ? throw KubernetesApiException.Invalid(type, "", "metadata.name: Required value: name or generateName is required")
                : generateName + "dryrun";
        }

        try
        {
            store.Get(type, @namespace, name);
            throw KubernetesApiException.AlreadyExists(type, name);
        }
        catch (KubernetesApiException ex) when (ex.Code == 404)
        {
            // Free: the object would be created.
        }

        metadata["name"] = name;
        if (type.Namespaced)
        {
            metadata["namespace"] = @namespace;
        }

        value["apiVersion"] = type.ApiVersion;
        value["kind"] = type.Kind;
        return value;
    }
}
