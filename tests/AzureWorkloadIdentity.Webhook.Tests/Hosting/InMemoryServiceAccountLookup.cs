using System.Collections.Concurrent;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

/// <summary>A service-account lookup backed by a dictionary, for in-process webhook tests.</summary>
public sealed class InMemoryServiceAccountLookup : IServiceAccountLookup
{
    private readonly ConcurrentDictionary<(string, string), ServiceAccountIdentity> _accounts = new();

    public bool IsSynced { get; set; } = true;

    /// <summary>When set, every look-up throws this (an API failure or deadline).</summary>
    public ServiceAccountLookupException? Failure { get; set; }

    public void Add(ServiceAccountIdentity account) => _accounts[(account.Namespace, account.Name)] = account;

    /// <summary>Every held account counts as cached (the webhook's cache after its first list).</summary>
    public bool TryGetCached(string @namespace, string name, out ServiceAccountIdentity? identity) =>
        _accounts.TryGetValue((@namespace, name), out identity);

    public ValueTask<ServiceAccountIdentity?> FindAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        return ValueTask.FromResult(_accounts.TryGetValue((@namespace, name), out var account) ? account : null);
    }
}
