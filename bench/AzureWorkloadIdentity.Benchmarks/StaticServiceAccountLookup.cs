using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Benchmarks;

/// <summary>A look-up that always answers with the same account, synchronously (a cache hit).</summary>
internal sealed class StaticServiceAccountLookup(ServiceAccountIdentity account) : IServiceAccountLookup
{
    public bool IsSynced => true;

    public ValueTask<ServiceAccountIdentity?> FindAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ServiceAccountIdentity?>(account);
}
