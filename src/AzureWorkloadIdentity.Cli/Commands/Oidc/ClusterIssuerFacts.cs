namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>
/// What the cluster says about its issuer: the key ids of its own <c>/openid/v1/jwks</c> (its
/// <c>--service-account-key-file</c> keys) and a freshly requested service-account token; or why it could not be asked.
/// </summary>
internal sealed record ClusterIssuerFacts(IReadOnlyList<string> KeyIds, string? Token, string? Error);
