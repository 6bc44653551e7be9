namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>Every reason an admission is refused: the one table (docs/webhook.md §Metrics lists the same names).</summary>
internal static class DenialReasons
{
    public static readonly DenialReason ServiceAccountNotFound = new("service-account-not-found", 400, 2);
    public static readonly DenialReason ServiceAccountLookupFailed = new("service-account-lookup-failed", 500, 2);
    public static readonly DenialReason ConflictingVolume = new("conflicting-volume", 400, 5);
    public static readonly DenialReason InvalidTokenExpiration = new("invalid-token-expiration", 400, 6);
    public static readonly DenialReason InvalidProxyPort = new("invalid-proxy-port", 400, 8);
    public static readonly DenialReason ProxyOnHostNetwork = new("proxy-on-host-network", 400, 8);
    public static readonly DenialReason IdentityWithoutOptIn = new("identity-without-opt-in", 400, 9);
    public static readonly DenialReason BadRequest = new("bad-request", 400, 10);
    public static readonly DenialReason NotAPod = new("not-a-pod", 400, 10);
    public static readonly DenialReason InvalidPod = new("invalid-pod", 400, 10);

    /// <summary>All of them, in rule order.</summary>
    public static IReadOnlyList<DenialReason> All { get; } =
    [
        ServiceAccountNotFound, ServiceAccountLookupFailed, ConflictingVolume, InvalidTokenExpiration, InvalidProxyPort,
        ProxyOnHostNetwork, IdentityWithoutOptIn, BadRequest, NotAPod, InvalidPod,
    ];
}
