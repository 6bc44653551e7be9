namespace AzureWorkloadIdentity.Sandbox.Cloud;

/// <summary>An ARM role assignment.</summary>
/// <param name="Id">Full ARM id: <c>{scope}/providers/Microsoft.Authorization/roleAssignments/{name}</c>.</param>
/// <param name="Name">The assignment's GUID.</param>
/// <param name="Scope">The scope it applies to (a subscription, resource group or resource id).</param>
/// <param name="RoleDefinitionId">Full id of the role definition.</param>
/// <param name="PrincipalId">Object id of the service principal (application or identity).</param>
public sealed record RoleAssignment(
    string Id,
    string Name,
    string Scope,
    string RoleDefinitionId,
    string PrincipalId,
    string PrincipalType);
