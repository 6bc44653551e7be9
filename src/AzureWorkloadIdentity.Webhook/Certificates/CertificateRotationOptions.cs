namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// Settings of the built-in certificate rotation, bound from the <c>CertificateRotation</c> configuration section
/// (environment: <c>CertificateRotation__ServiceName</c>, …) and checked by <see cref="CertificateRotationOptionsValidator"/>.
/// The namespace comes from <c>POD_NAMESPACE</c>, the cert dir from <c>--webhook-cert-dir</c> and the on/off switch
/// from <c>--disable-cert-rotation</c> unless the section sets them (Configuration/WebhookSettings).
/// </summary>
internal sealed class CertificateRotationOptions
{
    public const string SectionName = "CertificateRotation";

    /// <summary>Environment variable naming the webhook's namespace (downward API in the chart).</summary>
    public const string NamespaceVariable = "POD_NAMESPACE";

    public const string DefaultNamespace = "azure-workload-identity-system";
    public const string DefaultServiceName = "azure-wi-webhook-webhook-service";
    public const string DefaultSecretName = "azure-wi-webhook-server-cert";
    public const string DefaultWebhookConfigurationName = "azure-wi-webhook-mutating-webhook-configuration";

    /// <summary>False with <c>--disable-cert-rotation</c> (certificates come from the cert dir only, e.g. cert-manager).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Namespace of the Service and the Secret.</summary>
    public string Namespace { get; set; } = DefaultNamespace;

    /// <summary>Service in front of the webhook; the certificate is issued for <c>&lt;service&gt;.&lt;namespace&gt;.svc</c>.</summary>
    public string ServiceName { get; set; } = DefaultServiceName;

    /// <summary>Secret holding <c>ca.crt</c>, <c>ca.key</c>, <c>tls.crt</c> and <c>tls.key</c>.</summary>
    public string SecretName { get; set; } = DefaultSecretName;

    /// <summary>MutatingWebhookConfiguration whose <c>webhooks[*].clientConfig.caBundle</c> is kept in sync.</summary>
    public string WebhookConfigurationName { get; set; } = DefaultWebhookConfigurationName;

    /// <summary>Directory the webhook serves <c>tls.crt</c>/<c>tls.key</c> from.</summary>
    public string CertDir { get; set; } = "/certs";

    /// <summary>
    /// Write the certificate files into <see cref="CertDir"/> (local mode). Null means: only when running outside a
    /// cluster (<c>KUBERNETES_SERVICE_HOST</c> unset); in a pod the kubelet projects the Secret there instead.
    /// </summary>
    public bool? WriteCertificateFiles { get; set; }

    /// <summary>How often the Secret and the caBundle are checked and repaired.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// This replica's name in its <see cref="ServingRecord"/>; null means the host name, which in a pod is the pod name.
    /// </summary>
    public string? ReplicaName { get; set; }

    /// <summary>
    /// A replica's <see cref="ServingRecord"/> not refreshed for this long belongs to a replica that is gone; records
    /// are refreshed after a third of it. A previous CA leaves the caBundle once no live record needs it.
    /// </summary>
    public TimeSpan ServingRecordLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Lifetime of a new CA.</summary>
    public TimeSpan CaValidity { get; set; } = TimeSpan.FromDays(3650);

    /// <summary>The CA is replaced when less than this remains (old and new CA are both trusted meanwhile).</summary>
    public TimeSpan CaRenewBefore { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Lifetime of a new server certificate (never beyond its CA).</summary>
    public TimeSpan ServerValidity { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The server certificate is replaced when less than this remains.</summary>
    public TimeSpan ServerRenewBefore { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The DNS name the API server calls: <c>&lt;service&gt;.&lt;namespace&gt;.svc</c>.</summary>
    public string DnsName => $"{ServiceName}.{Namespace}.svc";
}
