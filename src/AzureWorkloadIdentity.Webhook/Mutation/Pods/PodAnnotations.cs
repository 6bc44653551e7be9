namespace AzureWorkloadIdentity.Webhook.Mutation.Pods;

/// <summary>The pod annotations the rules read (each when a string; <see cref="InjectedPresent"/> for any value).</summary>
internal sealed class PodAnnotations
{
    /// <summary>None of ours.</summary>
    public static PodAnnotations None { get; } = new();

    /// <summary><c>azure.workload.identity/service-account-token-expiration</c> (rule 6).</summary>
    public string? TokenExpiration { get; internal set; }

    /// <summary><c>azure.workload.identity/skip-containers</c> (rule 7).</summary>
    public string? SkipContainers { get; internal set; }

    /// <summary><c>azure.workload.identity/inject-proxy-sidecar</c> (rule 8).</summary>
    public string? InjectProxySidecar { get; internal set; }

    /// <summary><c>azure.workload.identity/proxy-sidecar-port</c> (rule 8).</summary>
    public string? ProxySidecarPort { get; internal set; }

    /// <summary>Whether <c>azure.workload.identity/injected</c> is present, whatever its value (rule 9).</summary>
    public bool InjectedPresent { get; internal set; }

    /// <summary><c>azure.workload.identity/injected</c>, the record of what the webhook injected (rule 9).</summary>
    public string? Injected { get; internal set; }
}
