namespace AzureWorkloadIdentity.Sandbox.Vaults;

/// <summary>A secret operation, with its access-policy permission name and its RBAC data action.</summary>
public sealed record SecretPermission(string PolicyName, string DataAction)
{
    public static readonly SecretPermission Get = new("get", "Microsoft.KeyVault/vaults/secrets/getSecret/action");
    public static readonly SecretPermission List = new("list", "Microsoft.KeyVault/vaults/secrets/readMetadata/action");
    public static readonly SecretPermission Set = new("set", "Microsoft.KeyVault/vaults/secrets/setSecret/action");
    public static readonly SecretPermission Delete = new("delete", "Microsoft.KeyVault/vaults/secrets/delete");
}
