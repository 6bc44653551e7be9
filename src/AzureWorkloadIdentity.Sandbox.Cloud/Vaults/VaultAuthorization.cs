using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;

namespace AzureWorkloadIdentity.Sandbox.Vaults;

/// <summary>
/// Whether a principal may perform a secret operation on a vault: through the vault's access policies
/// (<c>az keyvault set-policy</c>) or through a role assignment at the vault's scope or above whose role allows the
/// data action (e.g. "Key Vault Secrets User"). Azure uses one model per vault; the sandbox accepts either.
/// </summary>
public static class VaultAuthorization
{
    public static bool IsAllowed(SandboxDirectory.State state, KeyVault vault, string principalId, SecretPermission permission)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(permission);
        if (vault.AccessPolicies.TryGetValue(principalId, out var granted)
            && granted.Any(p => string.Equals(p, permission.PolicyName, StringComparison.OrdinalIgnoreCase)
                || string.Equals(p, "all", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return state.RoleAssignments.Values.Any(a =>
            string.Equals(a.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase)
            && Covers(a.Scope, vault.ResourceId)
            && BuiltInRoles.FindById(a.RoleDefinitionId)?.AllowsDataAction(permission.DataAction) == true);
    }

    private static bool Covers(string scope, string resourceId)
    {
        var normalized = scope.TrimEnd('/');
        return normalized.Length == 0
            || string.Equals(normalized, resourceId, StringComparison.OrdinalIgnoreCase)
            || resourceId.StartsWith(normalized + "/", StringComparison.OrdinalIgnoreCase);
    }
}
