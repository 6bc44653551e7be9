using AzureWorkloadIdentity.Proxy.Token;

namespace AzureWorkloadIdentity.Proxy.Tests.Token;

/// <summary>Counts exchanges; each returns "token-N" valid for <see cref="Lifetime"/>, or throws <see cref="Failure"/>.</summary>
internal sealed class FakeTokenSource(TimeProvider time) : ITokenSource
{
    private int _calls;
    public int Calls => Volatile.Read(ref _calls);
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);
    public TokenExchangeException? Failure { get; set; }
    public TaskCompletionSource? Gate { get; set; }
    public string? LastScope { get; private set; }

    public async Task<AccessTokenResult> AcquireAsync(string clientId, string scope, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _calls);
        LastScope = scope;
        if (Gate is not null)
        {
            await Gate.Task.WaitAsync(cancellationToken);
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        return new AccessTokenResult($"token-{n}", time.GetUtcNow() + Lifetime);
    }
}
