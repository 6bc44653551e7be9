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
}
