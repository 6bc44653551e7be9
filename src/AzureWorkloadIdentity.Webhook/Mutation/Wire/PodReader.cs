using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// Reads a <see cref="PodView"/> from the pod's first token to its last, in the request's one forward pass: members the
/// rules read are kept, everything else is skipped without being copied or allocated.
/// </summary>
internal static class PodReader
{
    private static readonly KnownStrings PodKind = new("Pod");

    /// <summary>Reads the value under the reader (any JSON; only an object is a pod).</summary>
    public static PodView Read(ref Utf8JsonReader reader)
    {
        var pod = new PodView { Shape = JsonRead.KindOf(reader.TokenType) };
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return pod;
        }

        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                pod.Metadata = PodMetadataReader.Read(ref reader);
            }
            else if (reader.ValueTextEquals("spec"u8))
            {
                reader.Read();
                pod.Spec = PodSpecReader.Read(ref reader);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                pod.Kind = JsonRead.String(ref reader, PodKind);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return pod;
    }
}
