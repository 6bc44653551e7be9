using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>
/// What another mutating webhook does between the webhook's invocations, chosen by a seed: switch the pod to another
/// service account that still opts in (with or without client ID, tenant ID and token lifetime), add a container,
/// or both.
/// </summary>
internal sealed class ReinvocationChange(int seed)
{
    private static readonly string?[] ClientIds = [null, "client-0", "client-7"];
    private static readonly string?[] TenantIds = [null, "tenant-other"];
    private static readonly string?[] Expirations = [null, "7200", "86400"];

    private int Choice(int shift, int bound) => (int)((uint)seed >> shift) % bound;

    private bool ChangesAccount => Choice(1, 3) != 1;

    private bool AddsContainer => Choice(1, 3) != 0;

    /// <summary>The service account after the change (the same one when the change only adds a container).</summary>
    public ServiceAccountIdentity Account(ServiceAccountIdentity original)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (!ChangesAccount)
        {
            return original;
        }

        var annotations = new Dictionary<string, string>();
        Set(annotations, "azure.workload.identity/client-id", ClientIds[Choice(3, ClientIds.Length)]);
        Set(annotations, "azure.workload.identity/tenant-id", TenantIds[Choice(5, TenantIds.Length)]);
        Set(annotations, "azure.workload.identity/service-account-token-expiration", Expirations[Choice(7, Expirations.Length)]);
        return new ServiceAccountIdentity("apps", "other", new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" }, annotations);
    }

    /// <summary>Applies the change to <paramref name="pod"/> (in place) and returns it.</summary>
    public JsonObject Apply(JsonObject pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = (JsonObject)pod["spec"]!;
        if (ChangesAccount)
        {
            spec["serviceAccountName"] = "other";
        }

        if (AddsContainer)
        {
            if (spec["containers"] is not JsonArray containers)
            {
                containers = [];
                spec["containers"] = containers;
            }

            containers.Add(new JsonObject { ["name"] = "added-by-other-webhook", ["image"] = "sidecar:1" });
        }

        return pod;
    }

    /// <summary>A copy with every container's env sorted by name, so equal sets of variables compare equal.</summary>
    public static JsonNode Normalise(JsonNode pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var copy = pod.DeepClone();
        foreach (var list in new[] { "initContainers", "containers" })
        {
            if (copy["spec"]?[list] is not JsonArray containers)
            {
                continue;
            }

            foreach (var container in containers.OfType<JsonObject>())
            {
                if (container["env"] is JsonArray env)
                {
                    var sorted = env.Select(e => e!.DeepClone()).OrderBy(e => e is JsonObject o && o["name"] is JsonValue v && v.TryGetValue<string>(out var n) ? n : "", StringComparer.Ordinal);
                    container["env"] = new JsonArray([.. sorted]);
                }
            }
        }

        return copy;
    }

    private static void Set(Dictionary<string, string> values, string key, string? value)
    {
        if (value is not null)
        {
            values[key] = value;
        }
    }

    public override string ToString() => $"change seed {seed}: account {ChangesAccount}, container {AddsContainer}";
}
