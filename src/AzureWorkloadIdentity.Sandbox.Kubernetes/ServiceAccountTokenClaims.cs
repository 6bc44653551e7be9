namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// What a projected service-account token says: <c>sub</c> = <c>system:serviceaccount:{namespace}:{name}</c>,
/// the audiences, the lifetime, and the <c>kubernetes.io</c> claim (namespace, service account, bound pod).
/// </summary>
public sealed record ServiceAccountTokenClaims(
    string Namespace,
    string ServiceAccountName,
    string ServiceAccountUid,
    IReadOnlyList<string> Audiences,
    DateTimeOffset IssuedAt,
    DateTimeOffset Expires,
    string? PodName = null,
    string? PodUid = null)
{
    public string Subject => $"system:serviceaccount:{Namespace}:{ServiceAccountName}";
}
