namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>A Kubernetes group/version/kind.</summary>
internal sealed class GroupVersionKind
{
    public string? Group { get; init; }

    public string? Version { get; init; }

    public string? Kind { get; init; }
}
