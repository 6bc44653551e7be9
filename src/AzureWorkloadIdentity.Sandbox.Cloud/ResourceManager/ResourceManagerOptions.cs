namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>How the sandbox's Resource Manager presents itself.</summary>
public sealed class ResourceManagerOptions
{
    /// <summary>
    /// The Entra ID authority host named in the 401 challenge's <c>authorization_uri</c> (followed by the tenant id);
    /// azwi only reads the tenant from it. The sandbox host sets its own Entra ID's URL here.
    /// </summary>
    public Uri AuthorityHost { get; set; } = new("https://login.microsoftonline.com/");

    /// <summary>
    /// How long after its creation a principal is still "not replicated": a role assignment to it without a
    /// <c>principalType</c> fails with 400 <c>PrincipalNotFound</c>, as in Azure, so callers' retries get exercised.
    /// <see cref="TimeSpan.Zero"/> turns this off.
    /// </summary>
    public TimeSpan PrincipalReplicationDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The data-plane URI of a vault by name (<c>properties.vaultUri</c>); the sandbox host points it at its Key Vault.</summary>
    public Func<string, Uri> VaultUri { get; set; } = name => new Uri($"https://{name}.vault.azure.net/");
}
