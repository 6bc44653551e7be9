using System.Text.RegularExpressions;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>Azure's naming rules for the resources the sandbox creates.</summary>
internal static partial class ArmNames
{
    public static bool IsValidResourceGroupName(string name) => ResourceGroupName().IsMatch(name);

    /// <summary>User-assigned identity: 3–128 characters, letters, digits, '-' and '_', starting with a letter or digit.</summary>
    public static bool IsValidIdentityName(string name) => IdentityName().IsMatch(name);

    /// <summary>Managed identity federated credential: <c>^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}$</c> (documented).</summary>
    public static bool IsValidIdentityCredentialName(string name) => IdentityCredentialName().IsMatch(name);

    /// <summary>Key Vault: 3–24 letters, digits and '-', starting with a letter, ending with a letter or digit, no "--".</summary>
    public static bool IsValidVaultName(string name) => VaultName().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    [GeneratedRegex(@"^[-\w\._\(\)]{1,90}(?<!\.)$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceGroupName();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentityName();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,119}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentityCredentialName();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex VaultName();
}
