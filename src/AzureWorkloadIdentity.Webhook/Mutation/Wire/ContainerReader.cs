using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>Reads a container list: each container's name, its identity variables and whether it mounts the token.</summary>
internal static class ContainerReader
{
    public static ContainerListView ReadList(ref Utf8JsonReader reader)
    {
        var list = new ContainerListView { Kind = JsonRead.KindOf(reader.TokenType) };
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartArray))
        {
            return list;
        }

        var items = new List<ContainerView>(2);
        while (JsonRead.NextElement(ref reader))
        {
            items.Add(Read(ref reader));
        }

        list.Items = items;
        return list;
    }

    private static ContainerView Read(ref Utf8JsonReader reader)
    {
        var container = new ContainerView { Kind = JsonRead.KindOf(reader.TokenType) };
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return container;
        }

        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("name"u8))
            {
                container.Name = JsonRead.String(ref reader);
            }
            else if (reader.ValueTextEquals("env"u8))
            {
                reader.Read();
                container.EnvKind = JsonRead.KindOf(reader.TokenType);
                container.ClearEnv();
                ReadEnv(ref reader, container);
            }
            else if (reader.ValueTextEquals("volumeMounts"u8))
            {
                reader.Read();
                container.VolumeMountsKind = JsonRead.KindOf(reader.TokenType);
                container.HasTokenMount = ReadHasTokenMount(ref reader);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }

        return container;
    }

    private static void ReadEnv(ref Utf8JsonReader reader, ContainerView container)
    {
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartArray))
        {
            return;
        }

        for (var index = 0; JsonRead.NextElement(ref reader); index++)
        {
            if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
            {
                continue;
            }

            // Names are compared in place; a value is kept only while it may belong to an identity variable (the
            // API server writes the name first, so other entries' values are never turned into strings).
            var variable = -1;
            var named = false;
            string? value = null;
            var fromReference = false;
            while (JsonRead.NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    reader.Read();
                    named = true;
                    variable = reader.TokenType == JsonTokenType.String ? IdentityVariable(ref reader) : -1;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    reader.Read();
                    value = reader.TokenType == JsonTokenType.String && (!named || variable >= 0) ? reader.GetString() : null;
                    reader.Skip();
                }
                else
                {
                    fromReference |= reader.ValueTextEquals("valueFrom"u8);
                    JsonRead.SkipValue(ref reader);
                }
            }

            if (variable >= 0)
            {
                container.SetEnv(variable, new EnvEntry(index, value, fromReference));
            }
        }
    }

    /// <summary>The slot of the identity variable named by the string under the reader, or -1.</summary>
    private static int IdentityVariable(ref Utf8JsonReader reader)
    {
        var variables = Utf8Names.IdentityVariables;
        for (var slot = 0; slot < variables.Length; slot++)
        {
            if (reader.ValueTextEquals(variables[slot]))
            {
                return slot;
            }
        }

        return -1;
    }

    private static bool ReadHasTokenMount(ref Utf8JsonReader reader)
    {
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartArray))
        {
            return false;
        }

        var found = false;
        while (JsonRead.NextElement(ref reader))
        {
            if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
            {
                continue;
            }

            var named = false;
            while (JsonRead.NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    named = JsonRead.StringEquals(ref reader, Utf8Names.TokenVolumeName);
                }
                else
                {
                    JsonRead.SkipValue(ref reader);
                }
            }

            found |= named;
        }

        return found;
    }
}
