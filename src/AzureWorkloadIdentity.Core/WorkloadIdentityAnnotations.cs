namespace AzureWorkloadIdentity.Core;

/// <summary>Annotations of the workload identity contract (service account and pod).</summary>
public static class WorkloadIdentityAnnotations
{
    /// <summary>Service account: the client ID of the Entra application or user-assigned identity.</summary>
    public const string ClientId = WorkloadIdentityLabels.Prefix + "client-id";

    /// <summary>Service account: the tenant ID; the webhook's configured tenant when absent.</summary>
    public const string TenantId = WorkloadIdentityLabels.Prefix + "tenant-id";

    /// <summary>Service account or pod (pod wins): lifetime of the projected token in seconds.</summary>
    public const string ServiceAccountTokenExpiration = WorkloadIdentityLabels.Prefix + "service-account-token-expiration";

    /// <summary>Pod: <c>;</c>-separated container names that get neither env nor mount.</summary>
    public const string SkipContainers = WorkloadIdentityLabels.Prefix + "skip-containers";

    /// <summary>Pod: <c>"true"</c> injects the IMDS proxy init container and sidecar.</summary>
    public const string InjectProxySidecar = WorkloadIdentityLabels.Prefix + "inject-proxy-sidecar";

    /// <summary>Pod: port of the IMDS proxy sidecar.</summary>
    public const string ProxySidecarPort = WorkloadIdentityLabels.Prefix + "proxy-sidecar-port";

    /// <summary>
    /// Pod, written by the webhook: the service-account-dependent values it injected (client ID, tenant ID, token
    /// lifetime), so a later invocation can tell its own values from the user's. Never a source of values.
    /// </summary>
    public const string Injected = WorkloadIdentityLabels.Prefix + "injected";

    /// <summary>Audit annotation key under which the webhook records its warning.</summary>
    public const string MutationWarningAudit = "mutation.azure-workload-identity.io/warning";
}
