using System.Globalization;

namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>
/// Tokens per (client id, resource), at most <see cref="DefaultCapacity"/> keys (least recently used dropped). A token
/// is reused until it is within <see cref="RefreshMargin"/> of expiry; concurrent callers for the same key share one
/// exchange. While Entra ID fails (unreachable, slow, 5xx, 429) a token that has not expired yet keeps being served;
/// a caller that needs a new one waits at most <see cref="DefaultCallerWait"/> and then gets the failure, while the
/// shared exchange goes on for the next request. Refusals and outages are not remembered (the next request tries
/// again); a 429 is, for its <c>Retry-After</c>, so Entra ID is not asked again before it allows.
/// </summary>
internal sealed class TokenCache
{
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    /// <summary>Keys kept: far more than a pod's identities × resources, small enough for the sidecar's 50 MB.</summary>
    public const int DefaultCapacity = 1024;

    /// <summary>
    /// Longest wait of one request for an exchange: well under the SDKs' IMDS time-outs, so they get an answer they
    /// retry (503) instead of giving up on their own time-out.
    /// </summary>
    public static readonly TimeSpan DefaultCallerWait = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(1);

    private readonly ITokenSource _source;
    private readonly TimeProvider _time;
    private readonly TimeSpan _callerWait;
    private readonly LruMap<(string ClientId, string Resource), Entry> _entries;

    public TokenCache(ITokenSource source, TimeProvider time, int capacity = DefaultCapacity, TimeSpan? callerWait = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _callerWait = callerWait ?? DefaultCallerWait;

        // Tokens live at most 24 h; an entry older than a day holds nothing worth keeping.
        _entries = new LruMap<(string, string), Entry>(capacity, TimeSpan.FromHours(25), time);
    }

    /// <summary>Keys held (diagnostics and tests).</summary>
    public int Count => _entries.Count;

    /// <summary>The token for (client, resource): cached, shared with concurrent callers, or from a new exchange.</summary>
    /// <exception cref="TokenExchangeException">No usable token: the exchange failed or is still running after the caller's wait.</exception>
    public async Task<AccessTokenResult> GetAsync(string clientId, string resource, string scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(resource);
        var entry = _entries.GetOrAdd((clientId.ToLowerInvariant(), resource), static _ => new Entry());
        Task<AccessTokenResult> exchange;
        AccessTokenResult? current;
        lock (entry)
        {
            var now = _time.GetUtcNow();
            current = entry.Token is { } held && held.ExpiresOn > now ? held : null;
            if (current is not null && current.ExpiresOn - now > RefreshMargin)
            {
                return current;
            }

            if (entry.Throttled is { } throttled && now < entry.ThrottledUntil)
            {
                return current ?? throw Remaining(throttled, entry.ThrottledUntil - now);
            }

            exchange = entry.Exchange ??= StartExchange(entry, clientId, scope);
        }

        try
        {
            // A token fresh from Entra is returned even if short-lived, so a short lifetime cannot loop.
            return await exchange.WaitAsync(_callerWait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TokenExchangeException) when (current is not null && current.ExpiresOn > _time.GetUtcNow())
        {
            return current;
        }
        catch (TimeoutException ex)
        {
            if (current is not null && current.ExpiresOn > _time.GetUtcNow())
            {
                return current;
            }

            throw new TokenExchangeException(TokenExchangeFailure.TimedOut, "timeout",
                $"Entra ID has not answered the token exchange within {_callerWait.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s; it goes on, and a retry gets its token.", ex);
        }
    }

    // Detached from the callers' cancellation and waits: they share this exchange, and a slow one still fills the cache.
    private Task<AccessTokenResult> StartExchange(Entry entry, string clientId, string scope) =>
        Task.Run(async () =>
        {
            try
            {
                var token = await _source.AcquireAsync(clientId, scope, CancellationToken.None).ConfigureAwait(false);
                lock (entry)
                {
                    entry.Token = token;
                    entry.Throttled = null;
                    entry.Exchange = null;
                }

                return token;
            }
            catch (TokenExchangeException ex)
            {
                lock (entry)
                {
                    entry.Exchange = null;
                    if (ex.Failure == TokenExchangeFailure.Throttled)
                    {
                        entry.Throttled = ex;
                        entry.ThrottledUntil = _time.GetUtcNow() + Clamp(ex.RetryAfter ?? TimeSpan.FromSeconds(1));
                    }
                }

                throw;
            }
            catch
            {
                lock (entry)
                {
                    entry.Exchange = null;
                }

                throw;
            }
        });

    private static TimeSpan Clamp(TimeSpan retryAfter) =>
        retryAfter <= TimeSpan.Zero ? TimeSpan.FromSeconds(1) : retryAfter > MaxRetryAfter ? MaxRetryAfter : retryAfter;

    private static TokenExchangeException Remaining(TokenExchangeException throttled, TimeSpan left) =>
        new(throttled.Failure, throttled.ErrorCode, throttled.Message) { RetryAfter = left };

    /// <summary>One key's state, guarded by locking the entry.</summary>
    private sealed class Entry
    {
        public AccessTokenResult? Token { get; set; }

        public Task<AccessTokenResult>? Exchange { get; set; }

        public TokenExchangeException? Throttled { get; set; }

        public DateTimeOffset ThrottledUntil { get; set; }
    }
}
