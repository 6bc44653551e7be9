using System.Collections.Concurrent;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// Values computed once per key, for keys that pods choose (a token lifetime, a proxy port): after
/// <paramref name="capacity"/> keys further values are computed on every call instead of kept, so pods cannot grow
/// the webhook's memory without bound.
/// </summary>
public sealed class BoundedCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _values = new();

    /// <summary>The value for <paramref name="key"/>, from <paramref name="create"/> the first time.</summary>
    public TValue GetOrCreate<TState>(TKey key, Func<TKey, TState, TValue> create, TState state)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (_values.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var value = create(key, state);
        if (_values.Count < capacity)
        {
            _values.TryAdd(key, value);
        }

        return value;
    }
}
