using System.Buffers;
using System.Text;
using System.Text.Json;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// The pod annotation <c>azure.workload.identity/injected</c>: the service-account-dependent values the webhook
/// injected (client ID, tenant ID, token lifetime), as compact JSON. A later invocation (reinvocation after another
/// webhook changed the service account) treats an existing value as its own only when it equals the recorded one,
/// and then sets it to what the <em>current</em> service account gives. The record is never a source of values: a
/// forged one can at most make the webhook correct a value to the current account's, never inject another.
/// </summary>
public sealed class InjectionRecord
{
    private InjectionRecord(string? clientId, string? tenantId, long? expirationSeconds)
    {
        ClientId = clientId;
        TenantId = tenantId;
        ExpirationSeconds = expirationSeconds;
    }

    /// <summary>No record (or one that does not parse): nothing on the pod is taken for the webhook's.</summary>
    public static InjectionRecord None { get; } = new(null, null, null);

    public string? ClientId { get; }

    public string? TenantId { get; }

    public long? ExpirationSeconds { get; }

    public bool IsNone => ClientId is null && TenantId is null && ExpirationSeconds is null;

    /// <summary>The pod's record; <see cref="None"/> when absent or not the JSON this webhook writes.</summary>
    public static InjectionRecord Read(PodView pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Metadata.Annotations.Injected is not { } text)
        {
            return None;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return None;
            }

            var expiration = root.TryGetProperty("expirationSeconds", out var seconds)
                && seconds.ValueKind == JsonValueKind.Number && seconds.TryGetInt64(out var value) ? value : (long?)null;
            return new InjectionRecord(StringMember(root, "clientId"), StringMember(root, "tenantId"), expiration);
        }
        catch (JsonException)
        {
            return None;
        }
    }

    private static string? StringMember(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The recorded value of an identity variable, or null when the webhook did not record one.</summary>
    public string? Recorded(string variable) => variable switch
    {
        WorkloadIdentityEnvironment.ClientId => ClientId,
        WorkloadIdentityEnvironment.TenantId => TenantId,
        _ => null,
    };

    /// <summary>The annotation's text for the values injected now.</summary>
    public static string Format(string? clientId, string tenantId, long expirationSeconds)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (clientId is not null)
            {
                writer.WriteString("clientId", clientId);
            }

            writer.WriteString("tenantId", tenantId);
            writer.WriteNumber("expirationSeconds", expirationSeconds);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
