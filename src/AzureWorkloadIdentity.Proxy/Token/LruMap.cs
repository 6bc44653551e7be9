namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>
/// A map that keeps at most <c>capacity</c> entries, dropping the least recently used, and replaces an entry older
/// than <c>lifetime</c> on its next use. Keys are chosen by the workload (client ids, resources), so without a bound a
/// pod could grow the sidecar's memory without limit.
/// </summary>
/// <remarks>
/// Not <c>MemoryCache</c> with a size limit: when full it refuses new entries until a background compaction runs, so
/// two concurrent callers of a new key would get separate entries and start two exchanges; here every caller of a key
/// gets the same entry while it is held.
/// </remarks>
internal sealed class LruMap<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<Slot>> _index;
    private readonly LinkedList<Slot> _order = new();
    private readonly int _capacity;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public LruMap(int capacity, TimeSpan lifetime, TimeProvider time, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        _capacity = capacity;
        _lifetime = lifetime;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _index = new Dictionary<TKey, LinkedListNode<Slot>>(comparer);
    }

    public int Count
    {
        get
        {
            lock (_order)
            {
                return _order.Count;
            }
        }
    }

    /// <summary>The live value of <paramref name="key"/>, made most recently used, or a new one from <paramref name="create"/>.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var now = _time.GetUtcNow();
        lock (_order)
        {
            if (_index.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                if (now - node.Value.Created < _lifetime)
                {
                    _order.AddFirst(node);
                    return node.Value.Value;
                }

                _index.Remove(key);
            }

            var created = new LinkedListNode<Slot>(new Slot(key, create(key), now));
            _order.AddFirst(created);
            _index[key] = created;
            if (_order.Count > _capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _index.Remove(last.Value.Key);
            }

            return created.Value.Value;
        }
    }

    private sealed record Slot(TKey Key, TValue Value, DateTimeOffset Created);
}
