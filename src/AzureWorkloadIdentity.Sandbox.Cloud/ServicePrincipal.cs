namespace AzureWorkloadIdentity.Sandbox.Cloud;

/// <summary>An Entra service principal (Graph <c>servicePrincipal</c>) of an application.</summary>
/// <param name="ObjectId">Graph object id; the principal id used in role assignments.</param>
/// <param name="CreatedAt">When it was created: role assignments to it fail with PrincipalNotFound for a short
/// replication delay, as in Azure.</param>
public sealed record ServicePrincipal(
    string TenantId,
    string ObjectId,
    string AppId,
    string DisplayName,
    DateTimeOffset CreatedAt);
