using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Webhook.Configuration;

/// <summary>The webhook's settings: the original's flags and environment variables, validated at start-up.</summary>
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

    /// <summary>Accepted for compatibility; the certificate always comes from the cert dir unless rotation is added.</summary>
    public bool DisableCertRotation { get; set; }

    /// <summary>How often the cert dir is re-read in case a file-system event was missed.</summary>
    public TimeSpan CertificatePollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>AZURE_TENANT_ID</c> (required).</summary>
    public string? TenantId { get; set; }

    /// <summary><c>AZURE_ENVIRONMENT</c>; empty means the public cloud.</summary>
    public string? AzureEnvironment { get; set; }

    /// <summary>The cloud read from <c>AZURE_ENVIRONMENT_FILEPATH</c> when <see cref="AzureEnvironment"/> is AzureStackCloud.</summary>
    public AzureCloud? CustomCloud { get; set; }

    /// <summary>Why the custom cloud file could not be used, reported with the other start-up problems.</summary>
    public string? CustomCloudProblem { get; set; }

    /// <summary>The configured cloud (valid options only).</summary>
    public AzureCloud Cloud => CustomCloud ?? (AzureClouds.TryGet(AzureEnvironment, out var cloud) ? cloud : AzureClouds.Default);

    /// <summary>Problems found while reading the command line, reported with the others.</summary>
    public IList<string> CommandLineErrors { get; } = [];
}
