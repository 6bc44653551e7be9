using AzureWorkloadIdentity.Sandbox.Entra;

namespace AzureWorkloadIdentity.Sandbox.Hosting;

/// <summary>How a sandbox starts.</summary>
internal sealed class SandboxOptions
{
    /// <summary>The tenant; a new GUID when empty.</summary>
    public string? TenantId { get; set; }

    /// <summary>The subscription; a new GUID when empty.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>Where the CA bundle, the custom-cloud file and the kubeconfig are written; a new temporary folder when empty.</summary>
    public string? WorkDirectory { get; set; }

    /// <summary>
    /// Keep the temporary work folder (kubeconfig, CA bundle, cloud file, pods' folders) when the host stops, instead of
    /// removing it (<c>serve --keep-state</c>). A folder named with <see cref="WorkDirectory"/> is always kept.
    /// </summary>
    public bool KeepWorkDirectory { get; set; }

    /// <summary>PEM of the cluster's service-account signing key (<c>sa.key</c>); generated when empty.</summary>
    public string? ServiceAccountSigningKeyPem { get; set; }

    /// <summary>How long a new principal is "not replicated" for role assignments (Azure's PrincipalNotFound).</summary>
    public TimeSpan PrincipalReplicationDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Lifetime of the access tokens Entra ID issues: about an hour, as Entra ID's. Shorter ones make the SDKs exchange
    /// again on every call (they refresh tokens that expire within five minutes), e.g. to prove that a workload
    /// re-reads its rotated token file.
    /// </summary>
    public TimeSpan AccessTokenLifetime { get; set; } = AccessTokenIssuer.DefaultLifetime;

    /// <summary>A file the cloud state (applications, identities, vaults, role assignments) is loaded from and saved to.</summary>
    public string? StateFile { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Run the pods the API server gets, as a node's kubelet does (<c>KubeletSyncLoop</c>, OCI containers with podman):
    /// what <c>serve</c> does, so Deployments applied with kubectl or helm run. Off for tests and the quick start that
    /// run their pods themselves.
    /// </summary>
    public bool RunPods { get; set; }
}
