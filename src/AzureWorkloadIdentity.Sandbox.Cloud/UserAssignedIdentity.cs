namespace AzureWorkloadIdentity.Sandbox.Cloud;

/// <summary>A user-assigned managed identity (ARM <c>Microsoft.ManagedIdentity/userAssignedIdentities</c>).</summary>
/// <param name="ResourceId">ARM id, <c>/subscriptions/…/resourceGroups/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}</c>.</param>
/// <param name="ClientId">The client id used in token requests.</param>
/// <param name="PrincipalId">Object id of its service principal, used in role assignments.</param>
public sealed record UserAssignedIdentity(
    string TenantId,
    string SubscriptionId,
    string ResourceGroup,
    string Name,
    string Location,
    string ResourceId,
    string ClientId,
    string PrincipalId,
    DateTimeOffset CreatedAt,
    IReadOnlyList<FederatedCredential> FederatedCredentials);
