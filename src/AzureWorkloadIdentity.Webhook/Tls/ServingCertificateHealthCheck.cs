using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AzureWorkloadIdentity.Webhook.Tls;

/// <summary>Readiness: a serving certificate is loaded.</summary>
internal sealed class ServingCertificateHealthCheck(ServingCertificate certificate) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(certificate.IsLoaded
            ? HealthCheckResult.Healthy("serving certificate loaded")
            : HealthCheckResult.Unhealthy("no serving certificate loaded yet (tls.crt and tls.key missing or invalid)"));
}
