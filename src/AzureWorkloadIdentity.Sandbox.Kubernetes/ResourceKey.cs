namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>A resource regardless of version: the store keeps one version of each.</summary>
public readonly record struct ResourceKey(string Group, string Plural)
{
    public static ResourceKey Of(ResourceType type) => new(type.Group, type.Plural);
}
