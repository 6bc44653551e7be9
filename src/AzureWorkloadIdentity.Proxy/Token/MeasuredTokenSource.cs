using Prometheus;
using AzureWorkloadIdentity.Proxy.Diagnostics;

namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>Counts and times every real exchange (cache hits never reach here).</summary>
public sealed class MeasuredTokenSource(ITokenSource inner, ProxyMetrics metrics) : ITokenSource
{
    public async Task<AccessTokenResult> AcquireAsync(string clientId, string scope, CancellationToken cancellationToken)
    {
        using var timer = metrics.ExchangeDuration.NewTimer();
        try
        {
            var result = await inner.AcquireAsync(clientId, scope, cancellationToken).ConfigureAwait(false);
            metrics.Exchanges.WithLabels("success").Inc();
            return result;
        }
        catch (TokenExchangeException ex)
        {
            metrics.Exchanges.WithLabels(ex.Failure.ToString().ToLowerInvariant()).Inc();
            throw;
        }
    }
}
