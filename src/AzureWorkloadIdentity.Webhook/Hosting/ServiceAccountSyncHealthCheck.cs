using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>Readiness: the service-account cache has loaded its initial list.</summary>
internal sealed class ServiceAccountSyncHealthCheck(IServiceAccountLookup lookup) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lookup.IsSynced
            ? HealthCheckResult.Healthy("service-account cache synced")
            : HealthCheckResult.Unhealthy("service-account cache has not synced with the Kubernetes API yet"));
}
