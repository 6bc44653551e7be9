namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>
/// A service-account issuer URL as Entra ID compares it: the string byte for byte (case, port and trailing slash
/// kept), and the documents derived from it the way Entra ID and Kubernetes derive them — one trailing slash
/// removed, then the well-known path appended.
/// </summary>
internal static class IssuerUrl
{
    public const string DiscoveryPath = "/.well-known/openid-configuration";

    public const string JwksPath = "/openid/v1/jwks";

    /// <summary>Why Entra ID would refuse <paramref name="issuer"/> as a federated credential's issuer; null when it accepts it.</summary>
    public static string? Problem(string issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (issuer.Length == 0)
        {
            return "the issuer URL is empty; pass the cluster's --service-account-issuer value, e.g. https://<account>.blob.core.windows.net/<container>/";
        }

        if (issuer.Trim().Length != issuer.Length)
        {
            return $"the issuer URL '{issuer}' has leading or trailing whitespace, which Entra ID refuses; remove it";
        }

        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return $"the issuer URL '{issuer}' is not an absolute URL; use https://<host>/<path>";
        }

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"the issuer URL '{issuer}' uses {uri.Scheme}, but Entra ID fetches keys only over https; serve the issuer over https";
        }

        if (issuer.Contains('?', StringComparison.Ordinal))
        {
            return $"the issuer URL '{issuer}' has a query, which OpenID Connect forbids in an issuer; remove the '?…' part";
        }

        if (issuer.Contains('#', StringComparison.Ordinal))
        {
            return $"the issuer URL '{issuer}' has a fragment, which OpenID Connect forbids in an issuer; remove the '#…' part";
        }

        return null;
    }

    /// <summary>The issuer with one trailing slash removed: the base the well-known paths are appended to.</summary>
    public static string Base(string issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return issuer.EndsWith('/') ? issuer[..^1] : issuer;
    }

    /// <summary>Where Entra ID reads the discovery document.</summary>
    public static string DiscoveryUri(string issuer) => Base(issuer) + DiscoveryPath;

    /// <summary>Where Kubernetes (and the documentation's blob layout) publishes the key set.</summary>
    public static string DefaultJwksUri(string issuer) => Base(issuer) + JwksPath;

    /// <summary>The warning printed for an issuer ending in <c>/</c>.</summary>
    public static string TrailingSlashWarning(string issuer) =>
        $"the issuer URL '{issuer}' ends with '/': the cluster's --service-account-issuer and every federated identity credential must carry the same trailing slash, or Entra ID refuses tokens (AADSTS700211)";
}
