using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>Turns JSON nodes into the UTF-8 values carried by <see cref="PatchOperation"/>.</summary>
internal static class PatchValue
{
    /// <summary>Serialises a node (compact).</summary>
    public static byte[] From(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Joins UTF-8 JSON values into one JSON array.</summary>
    public static byte[] Array(IReadOnlyList<ReadOnlyMemory<byte>> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var length = 2 + Math.Max(0, elements.Count - 1);
        for (var i = 0; i < elements.Count; i++)
        {
            length += elements[i].Length;
        }

        var result = new byte[length];
        var cursor = new ByteCursor(result);
        cursor.Write((byte)'[');
        for (var i = 0; i < elements.Count; i++)
        {
            if (i > 0)
            {
                cursor.Write((byte)',');
            }

            cursor.Write(elements[i].Span);
        }

        cursor.Write((byte)']');
        return result;
    }
}
