namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>A tracked resource's PUT body (resource group, user-assigned identity): only the location is kept.</summary>
internal sealed record TrackedResourceRequest(string? Location);

/// <summary>A managed identity federated credential's PUT body; a <c>location</c> (sent by GenericResourceData) is ignored.</summary>
internal sealed record IdentityCredentialRequest(IdentityCredentialProperties? Properties, string? Location);

internal sealed record IdentityCredentialProperties(string? Issuer, string? Subject, IReadOnlyList<string>? Audiences);

/// <summary>A Key Vault's PUT body.</summary>
internal sealed record VaultRequest(string? Location, VaultProperties? Properties);

internal sealed record VaultProperties(string? TenantId, IReadOnlyList<AccessPolicyEntry>? AccessPolicies);

/// <summary>The body of <c>…/vaults/{name}/accessPolicies/{add|replace|remove}</c>.</summary>
internal sealed record AccessPolicyUpdateRequest(AccessPolicyUpdateProperties? Properties);

internal sealed record AccessPolicyUpdateProperties(IReadOnlyList<AccessPolicyEntry>? AccessPolicies);

internal sealed record AccessPolicyEntry(string? TenantId, string? ObjectId, AccessPolicyPermissions? Permissions);

/// <summary>Only secret permissions matter to the sandbox's Key Vault; the others are accepted and not kept.</summary>
internal sealed record AccessPolicyPermissions(IReadOnlyList<string>? Secrets);

/// <summary>A role assignment's PUT body.</summary>
internal sealed record RoleAssignmentRequest(RoleAssignmentRequestProperties? Properties);

internal sealed record RoleAssignmentRequestProperties(string? RoleDefinitionId, string? PrincipalId, string? PrincipalType);
