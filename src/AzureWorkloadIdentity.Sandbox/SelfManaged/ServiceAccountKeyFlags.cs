namespace AzureWorkloadIdentity.Sandbox.SelfManaged;

/// <summary>
/// The kube-apiserver flags a self-managed cluster's issuer is made of: <c>--service-account-issuer</c> (byte for
/// byte), <c>--service-account-signing-key-file</c> (the private key tokens are signed with) and every
/// <c>--service-account-key-file</c> (the public keys the API server trusts and publishes at <c>/openid/v1/jwks</c>).
/// </summary>
internal sealed record ServiceAccountKeyFlags(string Issuer, string SigningKeyFile, IReadOnlyList<string> KeyFiles);
