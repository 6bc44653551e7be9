using AzureWorkloadIdentity.Webhook.KubernetesApi;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// Watches what certificate rotation depends on and wakes it at once instead of at the next interval:
/// the webhook's own MutatingWebhookConfiguration (an overwritten caBundle, another replica's
/// <see cref="ServingRecord"/>; every event also updates the observed caBundles, which the replica guard and
/// readiness read) and the certificate Secret (deleted, corrupted or replaced).
/// </summary>
public sealed class CertificateRotationWatch(NamedObjectWatch watch, CertificateRotationOptions options, CertificateRotationState state)
{
    public Task RunAsync(Action wake, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wake);
        var configuration = watch.RunAsync(
            "apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
            $"mutatingwebhookconfiguration {options.WebhookConfigurationName}",
            options.WebhookConfigurationName,
            KubernetesApiJsonContext.Default.V1MutatingWebhookConfiguration,
            (type, configuration) =>
            {
                if (type is WatchEventType.Added or WatchEventType.Modified)
                {
                    state.Observed(CertificateRotator.CaBundles(configuration));
                    wake();
                }
            },
            cancellationToken);
        var secret = watch.RunAsync(
            KubernetesApiClient.Path("api", "v1", "namespaces", options.Namespace, "secrets"),
            $"secret {options.Namespace}/{options.SecretName}",
            options.SecretName,
            KubernetesApiJsonContext.Default.V1Secret,
            (type, _) =>
            {
                if (type is not WatchEventType.Bookmark)
                {
                    wake();
                }
            },
            cancellationToken);
        return Task.WhenAll(configuration, secret);
    }

}
