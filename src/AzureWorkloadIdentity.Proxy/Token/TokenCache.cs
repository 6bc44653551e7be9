using System.Collections.Concurrent;

namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>
/// Tokens per (client id, resource). A token is reused until it is within <see cref="RefreshMargin"/> of expiry;
/// concurrent callers for the same key share one exchange. Failures are not cached.
/// </summary>
public sealed class TokenCache(ITokenSource source, TimeProvider time)
{
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(string ClientId, string Resource), Entry> _entries = new();

    public async Task<AccessTokenResult> GetAsync(string clientId, string resource, string scope, CancellationToken cancellationToken) =>
        (await GetWithOriginAsync(clientId, resource, scope, cancellationToken).ConfigureAwait(false)).Token;

    /// <summary>Like <see cref="GetAsync"/>; <c>CacheHit</c> is true when no exchange was started for this call.</summary>
    public async Task<(AccessTokenResult Token, bool CacheHit)> GetWithOriginAsync(string clientId, string resource, string scope, CancellationToken cancellationToken)
    {
        var key = (clientId.ToLowerInvariant(), resource);
        for (var attempt = 0; ; attempt++)
        {
            var candidate = NewEntry(clientId, scope);
            var entry = _entries.GetOrAdd(key, candidate);
            var created = ReferenceEquals(entry, candidate);
            AccessTokenResult result;
            try
            {
                result = await entry.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (TokenExchangeException)
            {
                _entries.TryRemove(new KeyValuePair<(string, string), Entry>(key, entry));
                throw;
            }
            // A token fresh from Entra is returned even if short-lived, so a short lifetime cannot loop.
            if (created || attempt > 0 || result.ExpiresOn - time.GetUtcNow() > RefreshMargin) return (result, attempt == 0 && !created);
            // Stale: drop it only if nobody else already did, then loop so the callers share one new exchange.
            _entries.TryUpdate(key, NewEntry(clientId, scope), entry);
        }
    }

    // Detached from the caller's cancellation: other callers share this exchange.
    private Task<AccessTokenResult> FetchAsync(string clientId, string scope) =>
        Task.Run(() => source.AcquireAsync(clientId, scope, CancellationToken.None));

    // Lazy: an entry that loses the race to be stored never starts an exchange.
    private Entry NewEntry(string clientId, string scope) =>
        new(new Lazy<Task<AccessTokenResult>>(() => FetchAsync(clientId, scope), LazyThreadSafetyMode.ExecutionAndPublication));

    private sealed record Entry(Lazy<Task<AccessTokenResult>> Exchange)
    {
        public Task<AccessTokenResult> Task => Exchange.Value;
    }
}
