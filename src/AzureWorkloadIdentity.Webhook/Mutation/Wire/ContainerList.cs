namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// One of the pod's container arrays (<c>spec.initContainers</c> or <c>spec.containers</c>) and the patch paths
/// into it. The paths of the first containers are built once per process: pods rarely have more.
/// </summary>
public sealed class ContainerList
{
    private const int PrebuiltContainers = 16;

    private readonly ContainerPaths[] _prebuilt;

    private ContainerList(string field)
    {
        Field = field;
        Path = new ArrayPath("/spec/" + field);
        _prebuilt = new ContainerPaths[PrebuiltContainers];
        for (var i = 0; i < _prebuilt.Length; i++)
        {
            _prebuilt[i] = Build(i);
        }
    }

    /// <summary><c>spec.initContainers</c>.</summary>
    public static ContainerList InitContainers { get; } = new("initContainers");

    /// <summary><c>spec.containers</c>.</summary>
    public static ContainerList Containers { get; } = new("containers");

    /// <summary>The member name under <c>spec</c>.</summary>
    public string Field { get; }

    /// <summary>The array itself.</summary>
    public ArrayPath Path { get; }

    /// <summary>The paths into the container at <paramref name="index"/>.</summary>
    public ContainerPaths Item(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return index < _prebuilt.Length ? _prebuilt[index] : Build(index);
    }

    private ContainerPaths Build(int index) => new(JsonPointer.Append(Path.Path, index));
}
