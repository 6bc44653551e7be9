using System.Text.Json;
using k8s;

namespace AzureWorkloadIdentity.Cli.Commands.PodIdentity;

/// <summary>
/// Reads <c>AzureIdentityBinding</c>s and <c>AzureIdentity</c>s (aadpodidentity.k8s.io/v1) of one namespace and pairs
/// each selector with a user-assigned identity: bindings sorted by name, the first binding of a selector wins,
/// bindings without selector or identity and identities that are not user-assigned (<c>type: 0</c>) are ignored.
/// </summary>
internal static class PodIdentityBindingReader
{
    public const string Group = "aadpodidentity.k8s.io";
    public const string Version = "v1";
    public const string PodLabel = "aadpodidbinding";

    public static async Task<IReadOnlyList<PodIdentityBinding>> ReadAsync(IKubernetes client, string @namespace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var identities = await ListAsync(client, @namespace, "azureidentities", cancellationToken).ConfigureAwait(false);
        var bindings = await ListAsync(client, @namespace, "azureidentitybindings", cancellationToken).ConfigureAwait(false);

        var clientIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var identity in identities)
        {
            if (Spec(identity) is { } spec
                && spec.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Number && type.GetInt32() == 0
                && String(spec, "clientID") is { Length: > 0 } clientId)
            {
                clientIds[Name(identity)] = clientId;
            }
        }

        var result = new List<PodIdentityBinding>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var binding in bindings.OrderBy(Name, StringComparer.Ordinal))
        {
            var spec = Spec(binding);
            var selector = spec is { } s1 ? String(s1, "selector") : null;
            var identityName = spec is { } s2 ? String(s2, "azureIdentity") : null;
            if (string.IsNullOrEmpty(selector) || string.IsNullOrEmpty(identityName) || !seen.Add(selector))
            {
                continue;
            }

            if (clientIds.TryGetValue(identityName, out var clientId))
            {
                result.Add(new PodIdentityBinding(selector, identityName, clientId));
            }
        }

        return result;
    }

    private static async Task<IReadOnlyList<JsonElement>> ListAsync(IKubernetes client, string @namespace, string plural, CancellationToken cancellationToken)
    {
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, @namespace, plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        var element = list is JsonElement json ? json : JsonSerializer.SerializeToElement(list);
        return element.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray()]
            : [];
    }

    private static JsonElement? Spec(JsonElement item) =>
        item.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object ? spec : null;

    private static string Name(JsonElement item) =>
        item.TryGetProperty("metadata", out var metadata) ? String(metadata, "name") ?? "" : "";

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
