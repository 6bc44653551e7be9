using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>Readiness: the proxy sidecar's placement has been decided (before that, no pod can be mutated).</summary>
internal sealed class ProxySidecarPlacementHealthCheck(ProxySidecarPlacement placement) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(placement.IsDecided
            ? HealthCheckResult.Healthy(placement.Reason)
            : HealthCheckResult.Unhealthy("the proxy sidecar placement has not been decided yet"));
}
