namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>The bounded set of reasons the mutation reports (metric label values).</summary>
public static class MutationReasons
{
    public const string Mutated = "mutated";
    public const string NotOptedIn = "not-opted-in";
    public const string AlreadyMutated = "already-mutated";
    public const string InvalidTokenExpiration = "invalid-token-expiration";
    public const string InvalidProxyPort = "invalid-proxy-port";
    public const string ProxyOnHostNetwork = "proxy-on-host-network";
    public const string ConflictingVolume = "conflicting-volume";
    public const string InvalidPod = "invalid-pod";
    public const string IdentityWithoutOptIn = "identity-without-opt-in";
}
