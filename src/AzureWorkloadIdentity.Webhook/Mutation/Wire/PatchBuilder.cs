using System.Buffers;
using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// Collects additive operations against the object as received: appends with <c>/-</c> to arrays that exist and
/// creates a missing array with one <c>add</c> holding every new element.
/// </summary>
public sealed class PatchBuilder
{

    // ASCII letters, digits and the punctuation of pointers: JSON strings carry them unescaped.
    private static readonly SearchValues<char> VerbatimCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-_.~");

    // A typical admission adds eight operations (four variables and a mount per container and the volume).
    private readonly List<PatchOperation> _operations = new(8);

    /// <summary>The operations so far, in the order they must be applied.</summary>
    public IReadOnlyList<PatchOperation> Operations => _operations;

    /// <summary>Adds a value at an exact path (a missing member of an existing object).</summary>
    public void Add(string path, ReadOnlyMemory<byte> value) => _operations.Add(new PatchOperation(path, value));

    /// <summary>Replaces the value at <paramref name="path"/> (a value the webhook injected before).</summary>
    public void Replace(string path, ReadOnlyMemory<byte> value) => _operations.Add(new PatchOperation(path, value, PatchOperationKind.Replace));

    /// <summary>Removes the element at <paramref name="path"/>; later operations must not address indices after it.</summary>
    public void Remove(string path) => _operations.Add(new PatchOperation(path, ReadOnlyMemory<byte>.Empty, PatchOperationKind.Remove));

    /// <summary>Appends one element to the array at <paramref name="array"/>, creating the array when absent.</summary>
    public void Append(ArrayPath array, bool arrayExists, ReadOnlyMemory<byte> element)
    {
        ArgumentNullException.ThrowIfNull(array);
        _operations.Add(arrayExists
            ? new PatchOperation(array.AppendPath, element)
            : new PatchOperation(array.Path, PatchValue.Array([element])));
    }

    /// <summary>
    /// Appends elements to the array at <paramref name="array"/>; a missing array is created by one operation.
    /// <paramref name="wholeArray"/>, when given, is the precomputed JSON of all <paramref name="elements"/> as an array.
    /// </summary>
    public void AppendAll(ArrayPath array, bool arrayExists, IReadOnlyList<ReadOnlyMemory<byte>> elements, ReadOnlyMemory<byte>? wholeArray = null)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentNullException.ThrowIfNull(elements);
        if (elements.Count == 0)
        {
            return;
        }

        if (arrayExists)
        {
            for (var i = 0; i < elements.Count; i++)
            {
                _operations.Add(new PatchOperation(array.AppendPath, elements[i]));
            }
        }
        else
        {
            _operations.Add(new PatchOperation(array.Path, wholeArray ?? PatchValue.Array(elements)));
        }
    }

    /// <summary>The RFC 6902 document as bytes.</summary>
    /// <remarks>
    /// The rules build paths from member names and indices only, which JSON strings carry unescaped, so the document
    /// is written straight into an array of its exact size. (Through a <see cref="Utf8JsonWriter"/> the buffer grew
    /// to 4 KiB or more and was then copied, every admission.)
    /// </remarks>
    /// <exception cref="ArgumentException">A path holds a character JSON would escape (no rule builds one).</exception>
    public static byte[] ToUtf8(IReadOnlyList<PatchOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
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

        var result = new byte[length];
        var cursor = new ByteCursor(result);
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            cursor.Write(cursor.Position == 0 ? (byte)'[' : (byte)',');
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

        if (cursor.Position == 0)
        {
            cursor.Write((byte)'[');
        }

        cursor.Write((byte)']');
        return result;
    }

    private static ReadOnlySpan<byte> Start(PatchOperationKind kind) => kind switch
    {
        PatchOperationKind.Replace => "{\"op\":\"replace\",\"path\":\""u8,
        PatchOperationKind.Remove => "{\"op\":\"remove\",\"path\":\""u8,
        _ => "{\"op\":\"add\",\"path\":\""u8,
    };

    private static ReadOnlySpan<byte> OperationValue => "\",\"value\":"u8;
}
