namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>
/// The stable codes of <c>azwi oidc verify</c>. A check that passes has its own code; a check that fails names the
/// cause, so scripts can match on the code and people read the message. Documented in docs/azwi.md.
/// </summary>
internal static class CheckCodes
{
    public const string IssuerUrlValid = "ISSUER_URL_VALID";
    public const string IssuerNotHttps = "ISSUER_NOT_HTTPS";
    public const string IssuerUrlInvalid = "ISSUER_URL_INVALID";

    public const string TlsTrusted = "TLS_TRUSTED";
    public const string TlsUntrusted = "TLS_UNTRUSTED";

    public const string DiscoveryReachable = "DISCOVERY_REACHABLE";
    public const string DiscoveryUnreachable = "DISCOVERY_UNREACHABLE";
    public const string DiscoveryJson = "DISCOVERY_JSON";
    public const string DiscoveryInvalid = "DISCOVERY_INVALID";

    public const string IssuerMatch = "ISSUER_MATCH";
    public const string IssuerMismatch = "ISSUER_MISMATCH";
    public const string IssuerTrailingSlash = "ISSUER_TRAILING_SLASH";

    public const string JwksReachable = "JWKS_REACHABLE";
    public const string JwksUnreachable = "JWKS_UNREACHABLE";
    public const string JwksValid = "JWKS_VALID";
    public const string JwksInvalid = "JWKS_INVALID";
    public const string JwksTooManyKeys = "JWKS_TOO_MANY_KEYS";

    public const string KeyPublished = "KEY_PUBLISHED";
    public const string KeyNotPublished = "KEY_NOT_PUBLISHED";

    public const string ClusterReachable = "CLUSTER_REACHABLE";
    public const string ClusterUnreachable = "CLUSTER_UNREACHABLE";
    public const string TokenIssuerMatch = "TOKEN_ISSUER_MATCH";
    public const string TokenIssuerMismatch = "TOKEN_ISSUER_MISMATCH";
    public const string TokenSignatureValid = "TOKEN_SIGNATURE_VALID";
    public const string TokenSignatureInvalid = "TOKEN_SIGNATURE_INVALID";
}
