namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// Collects additive operations against the object as received: appends with <c>/-</c> to arrays that exist and
/// creates a missing array with one <c>add</c> holding every new element.
/// </summary>
internal sealed class PatchBuilder
{
    // A typical admission adds nine to twelve operations (four variables and a mount per container, the volume and
    // the injection record): room for sixteen, so the list is not grown on the way.
    private readonly List<PatchOperation> _operations = new(16);

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
}
