using System.Buffers;
using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// An RFC 6902 document of <see cref="PatchOperation"/>s, of a size known in advance: the answer's base64 is written
/// from it into the response (<see cref="WriteBase64"/>, from a rented buffer), so an admission allocates no copy of
/// the document.
/// </summary>
/// <remarks>
/// The rules build paths from member names and indices only, which JSON strings carry unescaped, so the document is
/// written straight, without a <see cref="Utf8JsonWriter"/> (whose buffer grew to 4 KiB or more and was
/// then copied, every admission).
/// </remarks>
internal sealed class PatchDocument
{
    // ASCII letters, digits and the punctuation of pointers: JSON strings carry them unescaped.
    private static readonly SearchValues<char> VerbatimCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-_.~");

    private readonly IReadOnlyList<PatchOperation> _operations;

    /// <exception cref="ArgumentException">A path holds a character JSON would escape (no rule builds one).</exception>
    public PatchDocument(IReadOnlyList<PatchOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        _operations = operations;
        // Indexed loops: foreach over the interface would allocate an enumerator on every admission.
        var length = 2 + Math.Max(0, operations.Count - 1);
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            if (operation.Path.AsSpan().ContainsAnyExcept(VerbatimCharacters))
            {
                throw new ArgumentException(
                    $"patch path '{operation.Path}' holds a character outside letters, digits and '/-_.~'; the webhook's rules never build one",
                    nameof(operations));
            }

            // A removal closes the path and the object ("}); the others add the value and close the object.
            length += Start(operation.Kind).Length + operation.Path.Length
                + (operation.Kind == PatchOperationKind.Remove ? 2 : OperationValue.Length + operation.Value.Length + 1);
        }

        Length = length;
    }

    /// <summary>The document's size in bytes.</summary>
    public int Length { get; }

    /// <summary>Writes the document into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        var cursor = new ByteCursor(destination[..Length]);
        cursor.Write((byte)'[');
        for (var i = 0; i < _operations.Count; i++)
        {
            var operation = _operations[i];
            if (i > 0)
            {
                cursor.Write((byte)',');
            }

            cursor.Write(Start(operation.Kind));
            cursor.WriteAscii(operation.Path);
            if (operation.Kind == PatchOperationKind.Remove)
            {
                cursor.Write((byte)'"');
            }
            else
            {
                cursor.Write(OperationValue);
                cursor.Write(operation.Value.Span);
            }

            cursor.Write((byte)'}');
        }

        cursor.Write((byte)']');
    }

    /// <summary>Writes the document as a base64 string value, from a rented buffer.</summary>
    public void WriteBase64(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var rented = ArrayPool<byte>.Shared.Rent(Length);
        try
        {
            WriteTo(rented);
            json.WriteBase64StringValue(rented.AsSpan(0, Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The document as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    private static ReadOnlySpan<byte> Start(PatchOperationKind kind) => kind switch
    {
        PatchOperationKind.Replace => "{\"op\":\"replace\",\"path\":\""u8,
        PatchOperationKind.Remove => "{\"op\":\"remove\",\"path\":\""u8,
        _ => "{\"op\":\"add\",\"path\":\""u8,
    };

    private static ReadOnlySpan<byte> OperationValue => "\",\"value\":"u8;
}
