using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Collects additive operations against the object as received: appends with <c>/-</c> to arrays that exist and
/// creates a missing array with one <c>add</c> holding every new element.
/// </summary>
public sealed class PatchBuilder
{
    private static readonly JsonEncodedText OpName = JsonEncodedText.Encode("op");
    private static readonly JsonEncodedText AddName = JsonEncodedText.Encode("add");
    private static readonly JsonEncodedText PathName = JsonEncodedText.Encode("path");
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");

    private readonly List<PatchOperation> operations = [];

    /// <summary>The operations so far, in the order they must be applied.</summary>
    public IReadOnlyList<PatchOperation> Operations => operations;

    /// <summary>Adds a value at an exact path (a missing member of an existing object).</summary>
    public void Add(string path, ReadOnlyMemory<byte> value) => operations.Add(new PatchOperation(path, value));

    /// <summary>Appends one element to the array at <paramref name="arrayPath"/>, creating the array when absent.</summary>
    public void Append(string arrayPath, bool arrayExists, ReadOnlyMemory<byte> element)
    {
        if (arrayExists)
        {
            operations.Add(new PatchOperation(arrayPath + "/-", element));
        }
        else
        {
            operations.Add(new PatchOperation(arrayPath, PatchValue.Array([element])));
        }
    }

    /// <summary>
    /// Appends elements to the array at <paramref name="arrayPath"/>; a missing array is created by one operation.
    /// <paramref name="wholeArray"/>, when given, is the precomputed JSON of all <paramref name="elements"/> as an array.
    /// </summary>
    public void AppendAll(string arrayPath, bool arrayExists, IReadOnlyList<ReadOnlyMemory<byte>> elements, ReadOnlyMemory<byte>? wholeArray = null)
    {
        ArgumentNullException.ThrowIfNull(elements);
        if (elements.Count == 0)
        {
            return;
        }

        if (arrayExists)
        {
            var appendPath = arrayPath + "/-";
            foreach (var element in elements)
            {
                operations.Add(new PatchOperation(appendPath, element));
            }
        }
        else
        {
            operations.Add(new PatchOperation(arrayPath, wholeArray ?? PatchValue.Array(elements)));
        }
    }

    /// <summary>Writes the RFC 6902 document (a JSON array of operations) as UTF-8.</summary>
    public static void Write(IReadOnlyList<PatchOperation> operations, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(operations);
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        writer.WriteStartArray();
        foreach (var operation in operations)
        {
            writer.WriteStartObject();
            writer.WriteString(OpName, AddName);
            writer.WriteString(PathName, operation.Path);
            writer.WritePropertyName(ValueName);
            writer.WriteRawValue(operation.Value.Span, skipInputValidation: true);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The RFC 6902 document as bytes.</summary>
    public static byte[] ToUtf8(IReadOnlyList<PatchOperation> operations)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Write(operations, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The operations as the JSON Patch library's document, to apply them to a <see cref="JsonNode"/>.</summary>
    public static JsonPatchDocument ToDocument(IReadOnlyList<PatchOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var document = new JsonPatchDocument();
        foreach (var operation in operations)
        {
            document.Operations.Add(operation.ToOperation());
        }

        return document;
    }
}
