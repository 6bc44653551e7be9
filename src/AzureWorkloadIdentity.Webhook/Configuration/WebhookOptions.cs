using System.Security.Authentication;
using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Webhook.Configuration;

/// <summary>
/// The webhook's own settings (section <see cref="SectionName"/>): the original's flags and environment variables,
/// named in <see cref="WebhookSettings"/> and checked by <see cref="WebhookOptionsValidator"/>.
/// </summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhook";

    /// <summary>HTTPS port of <c>/mutate-v1-pod</c> (<c>--port</c>).</summary>
    public int Port { get; set; } = 9443;

    /// <summary>Directory holding <c>tls.crt</c> and <c>tls.key</c> (<c>--webhook-cert-dir</c>).</summary>
    public string WebhookCertDir { get; set; } = "/certs";

    /// <summary><c>1.3</c> (default) or <c>1.2</c> (<c>--tls-min-version</c>).</summary>
    public string TlsMinVersion { get; set; } = "1.3";

    /// <summary>Plain-HTTP listener of <c>/healthz</c> and <c>/readyz</c> (<c>--health-addr</c>).</summary>
    public string HealthAddr { get; set; } = ":9440";

    /// <summary>Plain-HTTP listener of <c>/metrics</c> (<c>--metrics-addr</c>).</summary>
    public string MetricsAddr { get; set; } = ":8095";

    /// <summary>Audience of the projected token; empty means <c>api://AzureADTokenExchange</c> (<c>--audience</c>).</summary>
    public string? Audience { get; set; }

    public string ProxyImageRegistry { get; set; } = WorkloadIdentityDefaults.ImageRegistry;

    public string ProxyImageVersion { get; set; } = Mutation.MutationOptions.DefaultProxyImageVersion;

    /// <summary>Full image reference of the sidecar (<c>PROXY_IMAGE</c>); overrides registry and version.</summary>
    public string? ProxyImage { get; set; }

    /// <summary>Full image reference of the init container (<c>PROXY_INIT_IMAGE</c>); overrides registry and version.</summary>
    public string? ProxyInitImage { get; set; }

    /// <summary><c>auto</c> (default: native from Kubernetes 1.32), <c>native</c> or <c>container</c> (<c>--proxy-sidecar-mode</c>).</summary>
    public string ProxySidecarMode { get; set; } = ProxySidecarModes.Auto;

    /// <summary><c>info</c> (default), <c>debug</c>, <c>trace</c>/<c>all</c>, <c>warning</c>, <c>error</c>.</summary>
    public string LogLevel { get; set; } = "info";

    /// <summary><c>text</c> (default) or <c>json</c>.</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>
    /// Turns the built-in certificate rotation off (<c>--disable-cert-rotation</c>): the serving certificate then
    /// comes only from <see cref="WebhookCertDir"/>, e.g. written by cert-manager.
    /// </summary>
    public bool DisableCertRotation { get; set; }

    /// <summary>How often the cert dir is re-read in case a file-system event was missed.</summary>
    public TimeSpan CertificatePollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The <c>timeoutSeconds</c> of the MutatingWebhookConfiguration (<c>--webhook-timeout-seconds</c>, 1-30); each
    /// admission is answered within <see cref="Admission.AdmissionBudget"/> of it.
    /// </summary>
    public int TimeoutSeconds { get; set; } = Admission.AdmissionBudget.DefaultTimeoutSeconds;

    /// <summary><c>AZURE_TENANT_ID</c> (required).</summary>
    public string? TenantId { get; set; }

    /// <summary><c>AZURE_ENVIRONMENT</c>; empty means the public cloud.</summary>
    public string? AzureEnvironment { get; set; }

    /// <summary><c>AZURE_ENVIRONMENT_FILEPATH</c>: the custom cloud's JSON file when <see cref="AzureEnvironment"/> is AzureStackCloud.</summary>
    public string? AzureEnvironmentFilePath { get; set; }

    /// <summary><c>KUBERNETES_SERVICE_HOST</c>, set by Kubernetes in every pod.</summary>
    public string? KubernetesServiceHost { get; set; }

    /// <summary><c>KUBECONFIG</c>: kubeconfig files, the first of which is used when not in a pod.</summary>
    public string? KubeconfigVariable { get; set; }

    /// <summary>The cloud read from <see cref="AzureEnvironmentFilePath"/> (set while the settings are loaded).</summary>
    public AzureCloud? CustomCloud { get; set; }

    /// <summary>Why the custom cloud file could not be used, reported with the other start-up problems.</summary>
    public string? CustomCloudProblem { get; set; }

    /// <summary>True when running in a pod.</summary>
    public bool InCluster => !string.IsNullOrEmpty(KubernetesServiceHost);

    /// <summary>The configured cloud (valid options only).</summary>
    public AzureCloud Cloud => CustomCloud ?? (AzureClouds.TryGet(AzureEnvironment, out var cloud) ? cloud : AzureClouds.Default);

    /// <summary>The protocols allowed for <see cref="TlsMinVersion"/>, or null when the version is not supported.</summary>
    public SslProtocols? TlsProtocols => TlsMinVersion switch
    {
        "1.3" => SslProtocols.Tls13,
        "1.2" => SslProtocols.Tls12 | SslProtocols.Tls13,
        _ => null,
    };

    /// <summary>The level <see cref="LogLevel"/> means, or null when unknown.</summary>
    public LogLevel? MinimumLevel => LogLevelNames.Parse(LogLevel);
}
