namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>One service-account token the kubelet keeps written for a pod's projected volume.</summary>
/// <param name="VolumeName">The pod volume it belongs to.</param>
/// <param name="FilePath">Where the token is on the local disk.</param>
/// <param name="Audience">The audience requested (the API server's own when empty).</param>
/// <param name="ExpirationSeconds">The lifetime requested.</param>
/// <param name="IssuedAt">When the current token was obtained.</param>
/// <param name="ExpiresAt">When the current token expires, as the TokenRequest answered.</param>
public sealed record ProjectedToken(
    string VolumeName,
    string FilePath,
    string? Audience,
    long ExpirationSeconds,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>Like the real kubelet: refresh once 80 % of the token's lifetime has passed.</summary>
    public DateTimeOffset RefreshAt => IssuedAt + ((ExpiresAt - IssuedAt) * 0.8);
}
