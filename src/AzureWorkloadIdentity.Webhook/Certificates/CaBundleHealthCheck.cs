using AzureWorkloadIdentity.Webhook.Tls;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// Readiness: the certificate being served chains to the caBundle of every webhook in the configuration, i.e.
/// the API server would accept this replica's TLS handshake.
/// </summary>
internal sealed class CaBundleHealthCheck(ServingCertificate serving, CertificateRotationState state, TimeProvider timeProvider) : IHealthCheck
{
    public const string Name = "webhook-ca-bundle";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        var certificate = serving.Certificate;
        if (certificate is null)
        {
            return HealthCheckResult.Unhealthy("no serving certificate loaded yet");
        }

        // Also waits for the first reconcile, which records what this replica serves: a replica takes traffic only
        // once the others can see which CA it needs (see ServingRecord).
        if (state.WebhookCaBundles.Count == 0 || state.DesiredBundle is null)
        {
            return HealthCheckResult.Unhealthy($"the webhook configuration's caBundle has not been read yet ({state.LastError ?? "waiting"})");
        }

        if (state.FirstUntrustingWebhook(certificate, timeProvider.GetUtcNow()) is { } untrusting)
        {
            return HealthCheckResult.Unhealthy(
                $"the serving certificate (thumbprint {certificate.Thumbprint}) does not chain to the caBundle of webhook #{untrusting}; " +
                "waiting for rotation to repair the caBundle or for the new certificate files to arrive");
        }

        return HealthCheckResult.Healthy("serving certificate chains to the webhook configuration's caBundle");
    }
}
