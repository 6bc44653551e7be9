using System.Globalization;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The store's change feed: a bounded history of changes for watches to resume from, and the open watches each
/// change is offered to. The store calls <see cref="Record"/> and <see cref="Open"/> while holding its own lock, so
/// a watch sees every change exactly once and in resourceVersion order; this hub's lock only guards its list of
/// watches against a watch ending on another thread.
/// </summary>
internal sealed class WatchHub
{
    private readonly Lock _gate = new();
    private readonly Queue<WatchEvent> _history = new();
    private readonly List<WatchSubscription> _watches = [];
    private readonly int _historyLimit;
    private readonly int _watchBuffer;
    private long _compactedThrough;

    public WatchHub(int historyLimit, int watchBuffer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(watchBuffer, 1);
        _historyLimit = historyLimit;
        _watchBuffer = watchBuffer;
    }

    /// <summary>
    /// Opens a watch. An empty or <c>"0"</c> version starts with an ADDED event per matching object of
    /// <paramref name="current"/>; a newer version replays the history after it; a version older than the history
    /// throws 410 Gone.
    /// </summary>
    public WatchSubscription Open(
        ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, string? resourceVersion,
        IEnumerable<StoredObject> current)
    {
        var subscription = new WatchSubscription(ResourceKey.Of(type), @namespace, labels, fields, _watchBuffer, Unsubscribe);
        if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
        {
            foreach (var stored in current)
            {
                if ((@namespace is null || stored.Name.Namespace == @namespace) && subscription.Matches(stored))
                {
                    subscription.Send(new WatchEvent(WatchEvent.Added, stored, null));
                }
            }
        }
        else
        {
            if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
            {
                throw KubernetesApiException.BadRequest($"invalid resource version \"{resourceVersion}\"");
            }

            if (from < _compactedThrough)
            {
                throw KubernetesApiException.Gone(
                    $"too old resource version: {from} ({_compactedThrough.ToString(CultureInfo.InvariantCulture)})");
            }

            foreach (var change in _history)
            {
                if (change.Object.ResourceVersion > from)
                {
                    subscription.Offer(change);
                }
            }
        }

        lock (_gate)
        {
            _watches.Add(subscription);
        }

        return subscription;
    }

    /// <summary>Keeps <paramref name="change"/> in the history and offers it to every open watch.</summary>
    public void Record(WatchEvent change)
    {
        _history.Enqueue(change);
        while (_history.Count > _historyLimit)
        {
            _compactedThrough = _history.Dequeue().Object.ResourceVersion;
        }

        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.Offer(change);
            }
        }
    }

    /// <summary>Ends every open watch (clients reconnect from their last resourceVersion).</summary>
    public void DisconnectAll()
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.Close();
            }

            _watches.Clear();
        }
    }

    /// <summary>Forgets the whole history up to <paramref name="resourceVersion"/>: resuming from before it is 410 Gone.</summary>
    public void Compact(long resourceVersion)
    {
        _history.Clear();
        _compactedThrough = resourceVersion;
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _watches.Remove(subscription);
        }
    }
}
