namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// The JSON pointer of an array the patch creates or appends to, with its append form (<c>/-</c>) built once, so
/// appending several elements does not build the same path string for each of them.
/// </summary>
internal sealed class ArrayPath
{
    public ArrayPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        AppendPath = path + "/-";
        PrependPath = path + "/0";
    }

    /// <summary><c>/spec/volumes</c>: the pod's volumes.</summary>
    public static ArrayPath Volumes { get; } = new("/spec/volumes");

    /// <summary>The pointer of the array itself (the path of an <c>add</c> that creates it).</summary>
    public string Path { get; }

    /// <summary>The pointer that appends to the array.</summary>
    public string AppendPath { get; }

    /// <summary>The pointer that inserts before the first element (valid only after every operation on existing indices).</summary>
    public string PrependPath { get; }

    public override string ToString() => Path;
}
