using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>What an admission step knows about a request besides the object.</summary>
public sealed record AdmissionAttributes(ResourceType Type, string? Namespace, string Operation, ObjectStore Store)
{
    /// <summary>The subresource written (<c>status</c>), or null for the resource itself.</summary>
    public string? Subresource { get; init; }

    /// <summary>The stored object an UPDATE replaces; null for CREATE.</summary>
    public JsonObject? OldObject { get; init; }

    public bool DryRun { get; init; }
}
