namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>A key id the issuer must publish, and where it came from (a key file or the cluster) for the message.</summary>
internal sealed record ExpectedKey(string KeyId, string Source);
