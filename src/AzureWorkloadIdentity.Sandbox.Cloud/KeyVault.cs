namespace AzureWorkloadIdentity.Sandbox.Cloud;

/// <summary>A Key Vault: its secrets (every version kept) and its access policies.</summary>
/// <param name="ResourceId">ARM id, the scope role assignments name.</param>
/// <param name="Secrets">Secret name → versions, oldest first.</param>
/// <param name="AccessPolicies">Object id of a principal → secret permissions (<c>get</c>, <c>list</c>, <c>set</c>, …).</param>
public sealed record KeyVault(
    string TenantId,
    string SubscriptionId,
    string ResourceGroup,
    string Name,
    string ResourceId,
    IReadOnlyDictionary<string, IReadOnlyList<SecretVersion>> Secrets,
    IReadOnlyDictionary<string, IReadOnlyList<string>> AccessPolicies);
