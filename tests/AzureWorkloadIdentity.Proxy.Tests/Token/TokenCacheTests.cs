using AzureWorkloadIdentity.Proxy.Token;
using Microsoft.Extensions.Time.Testing;

namespace AzureWorkloadIdentity.Proxy.Tests.Token;

public sealed class TokenCacheTests
{
    private const string Client = "00000000-0000-0000-0000-000000000001";
    private const string Resource = "https://vault.azure.net";
    private const string Scope = "https://vault.azure.net/.default";

    [Fact(Timeout = 10_000)]
    public async Task GetAsync_SecondCallBeforeExpiry_ReusesToken()
    {
        var time = new FakeTimeProvider();
        var source = new FakeTokenSource(time);
        var cache = new TokenCache(source, time);
        var first = await cache.GetAsync(Client, Resource, Scope, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(50));
        var second = await cache.GetAsync(Client, Resource, Scope, CancellationToken.None);
        Assert.Equal(first.AccessToken, second.AccessToken);
        Assert.Equal(1, source.Calls);
    }

    [Fact(Timeout = 10_000)]
    public async Task GetAsync_WithinRefreshMarginOfExpiry_ExchangesAgain()
    {
        var time = new FakeTimeProvider();
        var source = new FakeTokenSource(time);
        var cache = new TokenCache(source, time);
        await cache.GetAsync(Client, Resource, Scope, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(56));
        var refreshed = await cache.GetAsync(Client, Resource, Scope, CancellationToken.None);
        Assert.Equal("token-2", refreshed.AccessToken);
        Assert.Equal(2, source.Calls);
    }

    [Fact(Timeout = 10_000)]
    public async Task GetAsync_ShortLivedToken_ReturnsFreshTokenWithoutLooping()
    {
        var time = new FakeTimeProvider();
        var source = new FakeTokenSource(time) { Lifetime = TimeSpan.FromMinutes(1) };
        var cache = new TokenCache(source, time);
        var token = await cache.GetAsync(Client, Resource, Scope, CancellationToken.None);
        Assert.Equal("token-1", token.AccessToken);
        Assert.Equal(1, source.Calls);

        // Already inside the refresh margin: the next caller gets one new exchange, not a loop of them.
        var next = await cache.GetAsync(Client, Resource, Scope, CancellationToken.None);
        Assert.Equal("token-2", next.AccessToken);
        Assert.Equal(2, source.Calls);
    }

    [Fact(Timeout = 10_000)]
    public async Task GetAsync_ConcurrentCallers_ShareOneExchange()
    {
        var time = new FakeTimeProvider();
        var source = new FakeTokenSource(time) { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var cache = new TokenCache(source, time);
        var calls = Enumerable.Range(0, 20).Select(_ => cache.GetAsync(Client, Resource, Scope, CancellationToken.None)).ToArray();
        source.Gate.SetResult();
        var results = await Task.WhenAll(calls);
        Assert.All(results, r => Assert.Equal("token-1", r.AccessToken));
        Assert.Equal(1, source.Calls);
    }

    [Fact(Timeout = 10_000)]
    public async Task GetAsync_DifferentResourceOrClient_ExchangesSeparately()
    {
        var time = new FakeTimeProvider();
        var source = new FakeTokenSource(time);
        var cache = new TokenCache(source, time);
        await cache.GetAsync(Client, Resource, Scope, CancellationToken.None);
        await cache.GetAsync(Client, "https://storage.azure.com", "https://storage.azure.com/.default", CancellationToken.None);
        await cache.GetAsync("00000000-0000-0000-0000-000000000002", Resource, Scope, CancellationToken.None);
        Assert.Equal(3, source.Calls);
    }

    [Fact(Timeout = 10_000)]
    public async Task GetAsync_FailedExchange_IsNotCached()
    {
        var time = new FakeTimeProvider();
        var source = new FakeTokenSource(time)
        {
            Failure = new TokenExchangeException(TokenExchangeFailure.Unavailable, "service_unavailable", "down"),
        };
        var cache = new TokenCache(source, time);
        await Assert.ThrowsAsync<TokenExchangeException>(() => cache.GetAsync(Client, Resource, Scope, CancellationToken.None));
        source.Failure = null;
        var token = await cache.GetAsync(Client, Resource, Scope, CancellationToken.None);
        Assert.Equal("token-2", token.AccessToken);
    }

    [Fact(Timeout = 10_000)]
    public async Task GetAsync_RefreshFailsWhileTokenStillValid_ServesCachedToken()
    {
        var time = new FakeTimeProvider();
        var source = new FakeTokenSource(time);
        var cache = new TokenCache(source, time);
        await cache.GetAsync(Client, Resource, Scope, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(56));
        source.Failure = new TokenExchangeException(TokenExchangeFailure.Unavailable, "service_unavailable", "down");

        var served = await cache.GetAsync(Client, Resource, Scope, CancellationToken.None);

        Assert.Equal("token-1", served.AccessToken);
        Assert.Equal(2, source.Calls);
        time.Advance(TimeSpan.FromMinutes(4));
        await Assert.ThrowsAsync<TokenExchangeException>(() => cache.GetAsync(Client, Resource, Scope, CancellationToken.None));
    }

    [Fact(Timeout = 10_000)]
    public async Task GetAsync_ExchangeSlowerThanCallerWait_FailsAfterTheWaitAndNextCallGetsTheSharedResult()
    {
        var time = new FakeTimeProvider();
        var source = new FakeTokenSource(time) { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var cache = new TokenCache(source, time);

        var waiting = cache.GetAsync(Client, Resource, Scope, CancellationToken.None);
        await WaitUntilAsync(() => source.Calls == 1);
        time.Advance(TokenCache.DefaultCallerWait);
        var error = await Assert.ThrowsAsync<TokenExchangeException>(() => waiting);
        source.Gate.SetResult();
        await WaitUntilAsync(() => cache.GetAsync(Client, Resource, Scope, CancellationToken.None).IsCompletedSuccessfully);
        var token = await cache.GetAsync(Client, Resource, Scope, CancellationToken.None);

        Assert.Equal(TokenExchangeFailure.TimedOut, error.Failure);
        Assert.Equal("token-1", token.AccessToken);
        Assert.Equal(1, source.Calls);
    }

    [Fact(Timeout = 10_000)]
    public async Task GetAsync_Throttled_AsksAgainOnlyAfterRetryAfter()
    {
        var time = new FakeTimeProvider();
        var source = new FakeTokenSource(time)
        {
            Failure = new TokenExchangeException(TokenExchangeFailure.Throttled, "too_many_requests", "429") { RetryAfter = TimeSpan.FromSeconds(10) },
        };
        var cache = new TokenCache(source, time);
        await Assert.ThrowsAsync<TokenExchangeException>(() => cache.GetAsync(Client, Resource, Scope, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(4));

        var again = await Assert.ThrowsAsync<TokenExchangeException>(() => cache.GetAsync(Client, Resource, Scope, CancellationToken.None));
        Assert.Equal(1, source.Calls);
        Assert.Equal(TimeSpan.FromSeconds(6), again.RetryAfter);

        source.Failure = null;
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal("token-2", (await cache.GetAsync(Client, Resource, Scope, CancellationToken.None)).AccessToken);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetAsync_MoreKeysThanCapacity_KeepsCapacityAndNeverServesAnotherKeysToken()
    {
        var time = new FakeTimeProvider();
        var source = new ScopeEchoTokenSource(time);
        var cache = new TokenCache(source, time, capacity: 100);

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 1_000; i++)
            {
                var client = i % 2 == 0 ? Client : "00000000-0000-0000-0000-000000000002";
                var token = await cache.GetAsync(client, $"https://r{i}.example", $"https://r{i}.example/.default", CancellationToken.None);
                Assert.Equal($"{client}|https://r{i}.example/.default", token.AccessToken);
            }
        }

        Assert.Equal(100, cache.Count);
        Assert.Equal(2_000, source.Calls);
    }

    [Fact(Timeout = 10_000)]
    public async Task GetAsync_KeysWithinCapacity_OneExchangePerKeyPerTokenLifetime()
    {
        var time = new FakeTimeProvider();
        var source = new ScopeEchoTokenSource(time);
        var cache = new TokenCache(source, time, capacity: 100);

        for (var round = 0; round < 5; round++)
        {
            for (var i = 0; i < 100; i++)
            {
                await cache.GetAsync(Client, $"https://r{i}.example", $"https://r{i}.example/.default", CancellationToken.None);
            }

            time.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal(100, source.Calls);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetAsync_TenThousandResourcesWithRealisticTokens_HeapStaysBounded()
    {
        var time = new FakeTimeProvider();
        var cache = new TokenCache(new LargeTokenSource(time), time);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < 10_000; i++)
        {
            await cache.GetAsync(Client, $"https://r{i}.example", $"https://r{i}.example/.default", CancellationToken.None);
        }

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(cache);

        // Unbounded, 10,000 tokens of ~1.5 KB (3 KB as .NET strings) held ~35 MB of the sidecar's 50 MB; bounded, ~1024 of them.
        Assert.Equal(TokenCache.DefaultCapacity, cache.Count);
        Assert.True(grown < 8 * 1024 * 1024, $"the cache grew the heap by {grown / 1024 / 1024} MB");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(5);
        }
    }

    /// <summary>Answers with a fresh token of about the size Entra ID issues (1.5 KB).</summary>
    private sealed class LargeTokenSource(TimeProvider time) : ITokenSource
    {
        public Task<AccessTokenResult> AcquireAsync(string clientId, string scope, CancellationToken cancellationToken) =>
            Task.FromResult(new AccessTokenResult(scope + new string('x', 1_500), time.GetUtcNow().AddHours(1)));
    }

    /// <summary>Answers each exchange with "client|scope", so a token served for the wrong key is visible.</summary>
    private sealed class ScopeEchoTokenSource(TimeProvider time) : ITokenSource
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<AccessTokenResult> AcquireAsync(string clientId, string scope, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new AccessTokenResult($"{clientId}|{scope}", time.GetUtcNow().AddHours(1)));
        }
    }
}
