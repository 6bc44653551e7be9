namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>
/// What the mutation needs of a service account: its name, namespace, and only the labels and annotations
/// under <c>azure.workload.identity/</c>, so the cache grows with identity-enabled accounts only.
/// </summary>
internal sealed record ServiceAccountIdentity(
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations);
