namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>Finds the service account a pod runs as.</summary>
internal interface IServiceAccountLookup
{
    /// <summary>
    /// Returns the account, or <see langword="null"/> when it does not exist. Throws
    /// <see cref="ServiceAccountLookupException"/> when the API cannot answer within the deadline.
    /// </summary>
    ValueTask<ServiceAccountIdentity?> FindAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>True once the initial list has been loaded (readiness).</summary>
    bool IsSynced { get; }

    /// <summary>
    /// The account as already held in memory, without any I/O (workload warnings may not cost an API call);
    /// false when it is not held. A lookup without a cache holds nothing.
    /// </summary>
    bool TryGetCached(string @namespace, string name, out ServiceAccountIdentity? identity)
    {
        identity = null;
        return false;
    }
}
