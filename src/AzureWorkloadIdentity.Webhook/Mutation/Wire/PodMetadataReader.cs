using System.Text.Json;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>Reads a pod's <c>metadata</c>: names, the opt-in label, our annotations and near-miss keys.</summary>
internal static class PodMetadataReader
{
    private static readonly KnownStrings UseValues = new(WorkloadIdentityLabels.UseValue);

    public static PodMetadataView Read(ref Utf8JsonReader reader)
    {
        var metadata = new PodMetadataView { Kind = JsonRead.KindOf(reader.TokenType) };
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return metadata;
        }

        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("name"u8))
            {
                metadata.Name = JsonRead.String(ref reader);
            }
            else if (reader.ValueTextEquals("generateName"u8))
            {
                metadata.GenerateName = JsonRead.String(ref reader);
            }
            else if (reader.ValueTextEquals("namespace"u8))
            {
                metadata.Namespace = JsonRead.String(ref reader);
            }
            else if (reader.ValueTextEquals("labels"u8))
            {
                reader.Read();
                ReadLabels(ref reader, metadata);
            }
            else if (reader.ValueTextEquals("annotations"u8))
            {
                reader.Read();
                ReadAnnotations(ref reader, metadata);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return metadata;
    }

    private static void ReadLabels(ref Utf8JsonReader reader, PodMetadataView metadata)
    {
        metadata.UseLabel = null;
        metadata.NearMissLabels = null;
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return;
        }

        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(Utf8Names.Use))
            {
                metadata.UseLabel = JsonRead.String(ref reader, UseValues);
                continue;
            }

            if (NearMissKeyFilter.Check(ref reader) is { } nearMiss)
            {
                (metadata.NearMissLabels ??= []).Add(nearMiss);
            }

            JsonRead.SkipValue(ref reader);
        }
    }

    private static void ReadAnnotations(ref Utf8JsonReader reader, PodMetadataView metadata)
    {
        metadata.AnnotationsKind = JsonRead.KindOf(reader.TokenType);
        metadata.Annotations = PodAnnotations.None;
        metadata.NearMissAnnotations = null;
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return;
        }

        PodAnnotations? ours = null;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(Utf8Names.TokenExpiration))
            {
                (ours ??= new()).TokenExpiration = JsonRead.String(ref reader);
            }
            else if (reader.ValueTextEquals(Utf8Names.SkipContainers))
            {
                (ours ??= new()).SkipContainers = JsonRead.String(ref reader);
            }
            else if (reader.ValueTextEquals(Utf8Names.InjectProxySidecar))
            {
                (ours ??= new()).InjectProxySidecar = JsonRead.String(ref reader);
            }
            else if (reader.ValueTextEquals(Utf8Names.ProxySidecarPort))
            {
                (ours ??= new()).ProxySidecarPort = JsonRead.String(ref reader);
            }
            else if (reader.ValueTextEquals(Utf8Names.Injected))
            {
                ours ??= new();
                ours.InjectedPresent = true;
                ours.Injected = JsonRead.String(ref reader);
            }
            else
            {
                if (NearMissKeyFilter.Check(ref reader) is { } nearMiss)
                {
                    (metadata.NearMissAnnotations ??= []).Add(nearMiss);
                }

                JsonRead.SkipValue(ref reader);
            }
        }

        metadata.Annotations = ours ?? PodAnnotations.None;
    }
}
