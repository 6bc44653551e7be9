using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>Reads a pod's <c>spec</c>: the service account, host networking, the token volumes and the containers.</summary>
internal static class PodSpecReader
{
    public static PodSpecView Read(ref Utf8JsonReader reader)
    {
        var spec = new PodSpecView { Kind = JsonRead.KindOf(reader.TokenType) };
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return spec;
        }

        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("serviceAccountName"u8))
            {
                spec.ServiceAccountName = JsonRead.String(ref reader);
            }
            else if (reader.ValueTextEquals("hostNetwork"u8))
            {
                reader.Read();
                spec.HostNetwork = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("volumes"u8))
            {
                reader.Read();
                spec.VolumesKind = JsonRead.KindOf(reader.TokenType);
                spec.TokenVolumes = ReadTokenVolumes(ref reader);
            }
            else if (reader.ValueTextEquals("initContainers"u8))
            {
                reader.Read();
                spec.InitContainers = ContainerReader.ReadList(ref reader);
            }
            else if (reader.ValueTextEquals("containers"u8))
            {
                reader.Read();
                spec.Containers = ContainerReader.ReadList(ref reader);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return spec;
    }

    private static IReadOnlyList<TokenVolumeView> ReadTokenVolumes(ref Utf8JsonReader reader)
    {
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartArray))
        {
            return [];
        }

        List<TokenVolumeView>? found = null;
        for (var index = 0; JsonRead.NextElement(ref reader); index++)
        {
            if (ReadVolume(ref reader, index) is { } volume)
            {
                (found ??= []).Add(volume);
            }
        }

        return found is null ? [] : found;
    }

    /// <summary>The volume when it is named <c>azure-identity-token</c>, else null.</summary>
    private static TokenVolumeView? ReadVolume(ref Utf8JsonReader reader, int index)
    {
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return null;
        }

        var named = false;
        List<(int, long?)>? sources = null;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("name"u8))
            {
                named = JsonRead.StringEquals(ref reader, Utf8Names.TokenVolumeName);
            }
            else if (reader.ValueTextEquals("projected"u8))
            {
                reader.Read();
                sources = ReadProjectedTokenSources(ref reader);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return named ? new TokenVolumeView(index, sources is null ? [] : sources) : null;
    }

    /// <summary>The sources of <c>projected</c> that project the token at our path (null when none).</summary>
    private static List<(int, long?)>? ReadProjectedTokenSources(ref Utf8JsonReader reader)
    {
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return null;
        }

        List<(int, long?)>? sources = null;
        while (JsonRead.NextProperty(ref reader))
        {
            if (!reader.ValueTextEquals("sources"u8))
            {
                JsonRead.SkipValue(ref reader);
                continue;
            }

            reader.Read();
            sources = null;
            if (!JsonRead.Enter(ref reader, JsonTokenType.StartArray))
            {
                continue;
            }

            for (var index = 0; JsonRead.NextElement(ref reader); index++)
            {
                if (ReadSource(ref reader) is var (ours, expiration) && ours)
                {
                    (sources ??= []).Add((index, expiration));
                }
            }
        }

        return sources;
    }

    /// <summary>Whether the source projects a service-account token at our path, and its lifetime.</summary>
    private static (bool Ours, long? ExpirationSeconds) ReadSource(ref Utf8JsonReader reader)
    {
        (bool, long?) result = (false, null);
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return result;
        }

        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("serviceAccountToken"u8))
            {
                reader.Read();
                result = ReadServiceAccountToken(ref reader);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return result;
    }

    private static (bool Ours, long? ExpirationSeconds) ReadServiceAccountToken(ref Utf8JsonReader reader)
    {
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return (false, null);
        }

        var ours = false;
        long? expiration = null;
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("path"u8))
            {
                ours = JsonRead.StringEquals(ref reader, Utf8Names.TokenFileName);
            }
            else if (reader.ValueTextEquals("expirationSeconds"u8))
            {
                reader.Read();
                expiration = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds) ? seconds : null;
                reader.Skip();
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return (ours, expiration);
    }
}
