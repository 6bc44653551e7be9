namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>
/// The service accounts without any <c>azure.workload.identity/</c> metadata, as a set of keys. All an admission needs
/// of such an account is that it exists (its pod is admitted unchanged; an account that does not exist is refused),
/// so each costs one set entry and its name; the namespace string is shared with the namespace's other accounts.
/// In large clusters these are most accounts (docs/performance.md: "100,000 service accounts").
/// </summary>
internal sealed class PlainServiceAccounts
{
    // One lock around a plain set: an entry is a quarter of a ConcurrentDictionary node, and the lock is held for a
    // hash look-up only (uncontended except while the watch applies a change).
    private readonly HashSet<ServiceAccountKey> _keys = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count;
            }
        }
    }

    public bool Contains(ServiceAccountKey key)
    {
        lock (_gate)
        {
            return _keys.Contains(key);
        }
    }

    public void Add(ServiceAccountKey key)
    {
        lock (_gate)
        {
            _keys.Add(key);
        }
    }

    public void Remove(ServiceAccountKey key)
    {
        lock (_gate)
        {
            _keys.Remove(key);
        }
    }

    /// <summary>Ends a list: drops the keys it did not contain and gives back the room a larger set needed.</summary>
    public void RemoveAllBut(HashSet<ServiceAccountKey> seen)
    {
        lock (_gate)
        {
            _keys.RemoveWhere(key => !seen.Contains(key));
            _keys.TrimExcess();
        }
    }
}
