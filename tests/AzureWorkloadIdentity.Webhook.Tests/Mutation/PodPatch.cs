using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>Applies patches with the RFC 6902 library, the way the API server applies the webhook's answer.</summary>
internal static class PodPatch
{
    /// <summary>Applies operations to a copy of <paramref name="pod"/> and returns the copy.</summary>
    public static JsonNode Apply(JsonNode pod, IReadOnlyList<PatchOperation> operations) =>
        Apply(pod, new PatchDocument(operations).ToArray());

    /// <summary>Applies an RFC 6902 document (as sent on the wire) to a copy of <paramref name="pod"/>.</summary>
    public static JsonNode Apply(JsonNode pod, ReadOnlySpan<byte> patchJson)
    {
        var document = JsonSerializer.Deserialize<JsonPatchDocument>(patchJson)!;
        var copy = pod.DeepClone();
        document.ApplyTo(copy);
        return copy;
    }
}
