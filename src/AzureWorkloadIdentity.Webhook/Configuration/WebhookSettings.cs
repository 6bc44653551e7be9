using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.Webhook.Certificates;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using static AzureWorkloadIdentity.Core.Configuration.Setting;

namespace AzureWorkloadIdentity.Webhook.Configuration;

/// <summary>
/// Every flag and environment variable of the webhook, in the order <c>--help</c> prints them. To add a setting:
/// add its line here (name, configuration key, default, meaning), a property of that name to the options class of the
/// key's section, a check to that section's validator, and a row to docs/webhook.md — a test compares the three.
/// </summary>
internal static class WebhookSettings
{
    private const string Webhook = WebhookOptions.SectionName + ":";
    private const string Cache = ServiceAccountCacheOptions.SectionName + "__";
    private const string Rotation = CertificateRotationOptions.SectionName + "__";

    public static SettingTable Table { get; } = new("webhook", "The Azure AD Workload Identity mutating admission webhook.",
    [
        Flag("port", Webhook + nameof(WebhookOptions.Port), "9443", "HTTPS port of /mutate-v1-pod", SettingType.Integer),
        Flag("webhook-cert-dir", Webhook + nameof(WebhookOptions.WebhookCertDir), "/certs", "directory with tls.crt and tls.key"),
        Flag("tls-min-version", Webhook + nameof(WebhookOptions.TlsMinVersion), "1.3", "minimum TLS version: 1.3 or 1.2"),
        Flag("health-addr", Webhook + nameof(WebhookOptions.HealthAddr), ":9440", "plain-HTTP listener of /healthz and /readyz"),
        Flag("metrics-addr", Webhook + nameof(WebhookOptions.MetricsAddr), ":8095", "plain-HTTP listener of /metrics"),
        Flag("audience", Webhook + nameof(WebhookOptions.Audience), WorkloadIdentityDefaults.Audience, "audience of the projected service-account token"),
        Flag("proxy-image-registry", Webhook + nameof(WebhookOptions.ProxyImageRegistry), WorkloadIdentityDefaults.ImageRegistry, "registry of the proxy and proxy-init images"),
        Flag("proxy-image-version", Webhook + nameof(WebhookOptions.ProxyImageVersion), Mutation.MutationOptions.DefaultProxyImageVersion, "tag of the proxy and proxy-init images"),
        Flag("proxy-sidecar-mode", Webhook + nameof(WebhookOptions.ProxySidecarMode), ProxySidecarModes.Auto, "auto (native sidecar from Kubernetes 1.32, decided once from /version), native or container"),
        Flag("log-level", Webhook + nameof(WebhookOptions.LogLevel), "info", "error, warning, info, debug or trace (all)"),
        Flag("log-format", Webhook + nameof(WebhookOptions.LogFormat), ConsoleLogging.Text, "text (one line per event, UTC) or json"),
        Switch("disable-cert-rotation", Webhook + nameof(WebhookOptions.DisableCertRotation), "turn off the built-in certificate rotation; the certificate comes from the cert dir only"),
        Flag("webhook-timeout-seconds", Webhook + nameof(WebhookOptions.TimeoutSeconds), "3", "the timeoutSeconds of the MutatingWebhookConfiguration (1-30); every admission is answered within its budget", SettingType.Integer),
        Flag("kubeconfig", ServiceAccountCacheOptions.SectionName + ":" + nameof(ServiceAccountCacheOptions.Kubeconfig), "", "kubeconfig file; otherwise in-cluster, KUBECONFIG, ~/.kube/config"),

        Variable(WorkloadIdentityEnvironment.TenantId, "", "required: tenant injected when the service account names none", key: Webhook + nameof(WebhookOptions.TenantId)),
        Variable(WorkloadIdentityEnvironment.ProxyImage, "", "full image reference of azwi-proxy; replaces --proxy-image-registry/--proxy-image-version", key: Webhook + nameof(WebhookOptions.ProxyImage)),
        Variable(WorkloadIdentityEnvironment.ProxyInitImage, "", "full image reference of azwi-proxy-init; replaces --proxy-image-registry/--proxy-image-version", key: Webhook + nameof(WebhookOptions.ProxyInitImage)),
        Variable(WorkloadIdentityEnvironment.Environment, AzureCloud.Public.Name, "Azure cloud, which sets the injected AZURE_AUTHORITY_HOST", key: Webhook + nameof(WebhookOptions.AzureEnvironment)),
        Variable(WorkloadIdentityEnvironment.EnvironmentFilePath, "", $"JSON file describing the cloud when AZURE_ENVIRONMENT is {CustomCloud.Name}", key: Webhook + nameof(WebhookOptions.AzureEnvironmentFilePath)),
        Variable(WorkloadIdentityEnvironment.AuthorityHost, "", $"authority host injected into pods instead of the cloud's; with {CustomCloud.Name} it may stand for AZURE_ENVIRONMENT_FILEPATH", key: Webhook + nameof(WebhookOptions.AzureAuthorityHost)),
        Variable("KUBERNETES_SERVICE_HOST", "", "set by Kubernetes in every pod: connect in-cluster and leave the certificate files to the kubelet", key: Webhook + nameof(WebhookOptions.KubernetesServiceHost)),
        Variable("KUBECONFIG", "", "kubeconfig files when not in a pod (the first is used)", key: Webhook + nameof(WebhookOptions.KubeconfigVariable)),
        Variable(CertificateRotationOptions.NamespaceVariable, CertificateRotationOptions.DefaultNamespace, "namespace of the webhook's Service and Secret", key: CertificateRotationOptions.SectionName + ":" + nameof(CertificateRotationOptions.Namespace)),
        Variable(Rotation + nameof(CertificateRotationOptions.ServiceName), CertificateRotationOptions.DefaultServiceName, "Service in front of the webhook (certificate for <service>.<namespace>.svc)"),
        Variable(Rotation + nameof(CertificateRotationOptions.SecretName), CertificateRotationOptions.DefaultSecretName, "Secret holding the CA and the serving certificate"),
        Variable(Rotation + nameof(CertificateRotationOptions.WebhookConfigurationName), CertificateRotationOptions.DefaultWebhookConfigurationName, "MutatingWebhookConfiguration whose caBundle is kept in sync"),
        Variable(Rotation + nameof(CertificateRotationOptions.CertDir), "--webhook-cert-dir", "directory the rotated certificate files are written to"),
        Variable(Rotation + nameof(CertificateRotationOptions.WriteCertificateFiles), "true outside a pod", "write tls.crt and tls.key into the cert dir", SettingType.Boolean),
        Variable(Rotation + nameof(CertificateRotationOptions.ReconcileInterval), "00:00:30", "how often the Secret and the caBundle are checked", SettingType.TimeSpan),
        Variable(Rotation + nameof(CertificateRotationOptions.ReplicaName), "the host name (pod name)", "this replica's name in the record of the CA it serves from"),
        Variable(Rotation + nameof(CertificateRotationOptions.ServingRecordLifetime), "00:10:00", "a replica's record of what it serves expires after this long without refresh", SettingType.TimeSpan),
        Variable(Rotation + nameof(CertificateRotationOptions.CaValidity), "3650.00:00:00", "lifetime of a new CA", SettingType.TimeSpan),
        Variable(Rotation + nameof(CertificateRotationOptions.CaRenewBefore), "365.00:00:00", "renew the CA when less than this remains", SettingType.TimeSpan),
        Variable(Rotation + nameof(CertificateRotationOptions.ServerValidity), "365.00:00:00", "lifetime of a new serving certificate", SettingType.TimeSpan),
        Variable(Rotation + nameof(CertificateRotationOptions.ServerRenewBefore), "90.00:00:00", "renew the serving certificate when less than this remains", SettingType.TimeSpan),
        Variable(Cache + nameof(ServiceAccountCacheOptions.LookupTimeout), "00:00:03", "longest wait of an admission for a service account not cached", SettingType.TimeSpan),
        Variable(Cache + nameof(ServiceAccountCacheOptions.InitialBackoff), "00:00:00.5000000", "first wait before reconnecting the list/watch", SettingType.TimeSpan),
        Variable(Cache + nameof(ServiceAccountCacheOptions.MaxBackoff), "00:00:30", "longest wait before reconnecting the list/watch", SettingType.TimeSpan),
        Variable(Cache + nameof(ServiceAccountCacheOptions.WatchTimeout), "00:05:00", "how long one watch request stays open", SettingType.TimeSpan),
        Variable(Cache + nameof(ServiceAccountCacheOptions.ListPageSize), "500", "service accounts per page of the initial list", SettingType.Integer),
    ]);
}
