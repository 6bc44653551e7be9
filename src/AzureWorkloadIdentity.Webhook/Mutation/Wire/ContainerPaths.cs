namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>The arrays of one container of the pod the patch appends to.</summary>
internal sealed class ContainerPaths
{
    public ContainerPaths(string containerPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerPath);
        Env = new ArrayPath(containerPath + "/env");
        VolumeMounts = new ArrayPath(containerPath + "/volumeMounts");
    }

    /// <summary>The container's <c>env</c>.</summary>
    public ArrayPath Env { get; }

    /// <summary>The pointer of the container's env entry at <paramref name="index"/> (reinvocation only, so built when needed).</summary>
    public string EnvItem(int index) => JsonPointer.Append(Env.Path, index);

    /// <summary>The container's <c>volumeMounts</c>.</summary>
    public ArrayPath VolumeMounts { get; }
}
