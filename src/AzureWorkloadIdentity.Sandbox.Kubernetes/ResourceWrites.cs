using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// Create, update and patch as kube-apiserver runs them: the new object is computed (status subresource semantics),
/// the admission chain sees it — <c>CREATE</c>, or <c>UPDATE</c> with the old object, for PUT and PATCH alike —,
/// then it is stored with optimistic concurrency (a patch computed from a version that changed meanwhile is
/// recomputed, as kube-apiserver retries it), or with <c>dryRun=All</c> only answered.
/// </summary>
internal sealed class ResourceWrites(ObjectStore store, IReadOnlyList<IAdmissionPlugin> admission)
{
    private const int PatchAttempts = 5;

    public async Task<JsonNode> CreateAsync(HttpContext context, ResourceType type, string? @namespace, JsonObject value, bool dryRun)
    {
        StatusSubresource.OnCreate(type, value);
        await AdmitAsync(context, new AdmissionAttributes(type, @namespace, "CREATE", store) { DryRun = dryRun }, value);
        return dryRun ? DryRun.Create(store, type, @namespace, value) : Stored(store.Create(type, @namespace, value));
    }

    /// <summary>PUT (<paramref name="replaces"/>) or PATCH: <paramref name="change"/> turns the current object into the written one.</summary>
    public async Task<JsonNode> UpdateAsync(
        HttpContext context, ResourceType type, ResourcePath path, Func<JsonObject, JsonObject> change, bool replaces, bool dryRun)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = store.Get(type, path.Namespace, path.Name!);
            var old = current.ToJsonObject();
            var written = change(current.ToJsonObject());
            var bodyName = written["metadata"]?["name"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(bodyName) && bodyName != path.Name)
            {
                throw KubernetesApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({path.Name})");
            }

            var value = StatusSubresource.Merge(type, path.Subresource, old, written);
            var attributes = new AdmissionAttributes(type, path.Namespace, "UPDATE", store)
            {
                Subresource = path.Subresource,
                OldObject = old,
                DryRun = dryRun,
            };
            await AdmitAsync(context, attributes, value);
            if (dryRun)
            {
                return value;
            }

            if (!replaces && string.IsNullOrEmpty(value["metadata"]?["resourceVersion"]?.GetValue<string>()))
            {
                // A patch applies to the version it was computed from.
                value["metadata"]!["resourceVersion"] = old["metadata"]?["resourceVersion"]?.DeepClone();
            }

            try
            {
                return Stored(store.Update(type, path.Namespace, path.Name!, value));
            }
            catch (KubernetesApiException e) when (e.Code == 409 && !replaces && attempt < PatchAttempts
                && written["metadata"]?["resourceVersion"]?.GetValue<string>() == old["metadata"]?["resourceVersion"]?.GetValue<string>())
            {
                // Someone wrote in between: compute the patch again on the new version.
            }
        }
    }

    private async Task AdmitAsync(HttpContext context, AdmissionAttributes attributes, JsonObject value)
    {
        var warnings = new List<string>();
        foreach (var plugin in admission)
        {
            await plugin.AdmitAsync(attributes, value, warnings, context.RequestAborted);
        }

        foreach (var warning in warnings)
        {
            context.Response.Headers.Append("Warning", "299 - \"" + warning.Replace("\"", "'", StringComparison.Ordinal) + "\"");
        }
    }

    private static JsonNode Stored(StoredObject stored) => stored.ToJsonObject();
}
