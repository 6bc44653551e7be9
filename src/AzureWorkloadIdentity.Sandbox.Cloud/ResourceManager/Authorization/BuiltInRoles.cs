namespace AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;

/// <summary>
/// The built-in roles the sandbox knows, with their real GUIDs (learn.microsoft.com "Azure built-in roles"), so role
/// definition ids copied from Azure documentation or scripts work unchanged. The sandbox's Key Vault authorizes
/// secret reads with <see cref="BuiltInRole.AllowsDataAction"/>.
/// </summary>
public static class BuiltInRoles
{
    public static readonly BuiltInRole Owner = new(
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner",
        "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
        ["*"], [], []);

    public static readonly BuiltInRole Contributor = new(
        "b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor",
        "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.",
        ["*"],
        ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"],
        []);

    public static readonly BuiltInRole Reader = new(
        "acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader", "View all resources, but does not allow you to make any changes.",
        ["*/read"], [], []);

    public static readonly BuiltInRole UserAccessAdministrator = new(
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator", "Lets you manage user access to Azure resources.",
        ["*/read", "Microsoft.Authorization/*"], [], []);

    public static readonly BuiltInRole KeyVaultAdministrator = new(
        "00482a5a-887f-4fb3-b363-3b7fe8e74483", "Key Vault Administrator",
        "Perform all data plane operations on a key vault and all objects in it, including certificates, keys, and secrets.",
        ["Microsoft.Authorization/*/read", "Microsoft.KeyVault/checkNameAvailability/read", "Microsoft.KeyVault/vaults/*/read"],
        [],
        ["Microsoft.KeyVault/vaults/*"]);

    public static readonly BuiltInRole KeyVaultSecretsOfficer = new(
        "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Key Vault Secrets Officer",
        "Perform any action on the secrets of a key vault, except manage permissions.",
        ["Microsoft.Authorization/*/read", "Microsoft.KeyVault/vaults/*/read"],
        [],
        ["Microsoft.KeyVault/vaults/secrets/*"]);

    public static readonly BuiltInRole KeyVaultSecretsUser = new(
        "4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User", "Read secret contents.",
        [],
        [],
        ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]);

    public static readonly BuiltInRole KeyVaultReader = new(
        "21090545-7ca7-4776-b22c-e363652d74d2", "Key Vault Reader",
        "Read metadata of key vaults and its certificates, keys, and secrets. Cannot read sensitive values such as secret contents or key material.",
        ["Microsoft.Authorization/*/read", "Microsoft.KeyVault/vaults/*/read"],
        [],
        ["Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]);

    public static readonly BuiltInRole StorageBlobDataReader = new(
        "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "Storage Blob Data Reader", "Read and list Azure Storage containers and blobs.",
        ["Microsoft.Storage/storageAccounts/blobServices/containers/read", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"],
        [],
        ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]);

    public static readonly BuiltInRole StorageBlobDataContributor = new(
        "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor", "Read, write, and delete Azure Storage containers and blobs.",
        ["Microsoft.Storage/storageAccounts/blobServices/containers/*", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"],
        [],
        ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"]);

    public static readonly BuiltInRole ManagedIdentityOperator = new(
        "f1a07417-d97a-45cb-824c-7a7467783830", "Managed Identity Operator", "Read and Assign User Assigned Identity",
        ["Microsoft.ManagedIdentity/userAssignedIdentities/*/read", "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action"],
        [],
        []);

    public static readonly BuiltInRole ManagedIdentityContributor = new(
        "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59", "Managed Identity Contributor", "Create, Read, Update, and Delete User Assigned Identity",
        ["Microsoft.ManagedIdentity/userAssignedIdentities/read", "Microsoft.ManagedIdentity/userAssignedIdentities/write", "Microsoft.ManagedIdentity/userAssignedIdentities/delete"],
        [],
        []);

    public static IReadOnlyList<BuiltInRole> All { get; } =
    [
        Owner, Contributor, Reader, UserAccessAdministrator, KeyVaultAdministrator, KeyVaultSecretsOfficer, KeyVaultSecretsUser,
        KeyVaultReader, StorageBlobDataReader, StorageBlobDataContributor, ManagedIdentityOperator, ManagedIdentityContributor,
    ];

    /// <summary>Finds a role by its GUID or by any role definition id ending in it (at any scope).</summary>
    public static BuiltInRole? FindById(string? roleDefinitionId)
    {
        if (string.IsNullOrEmpty(roleDefinitionId))
        {
            return null;
        }

        var guid = roleDefinitionId.TrimEnd('/');
        guid = guid[(guid.LastIndexOf('/') + 1)..];
        return All.FirstOrDefault(r => string.Equals(r.Name, guid, StringComparison.OrdinalIgnoreCase));
    }
}
