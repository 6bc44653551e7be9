using AzureWorkloadIdentity.Proxy.Diagnostics;
using Prometheus;

namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>Counts, times and logs every real exchange (cache hits never reach here).</summary>
internal sealed class MeasuredTokenSource(ITokenSource inner, ProxyMetrics metrics, ILogger logger) : ITokenSource
{
    public async Task<AccessTokenResult> AcquireAsync(string clientId, string scope, CancellationToken cancellationToken)
    {
        using var timer = metrics.ExchangeDuration.NewTimer();
        try
        {
            var result = await inner.AcquireAsync(clientId, scope, cancellationToken).ConfigureAwait(false);
            metrics.Exchanges.WithLabels("success").Inc();
            ProxyLog.TokenAcquired(logger, clientId, scope, result.ExpiresOn);
            return result;
        }
        catch (TokenExchangeException ex)
        {
            metrics.Exchanges.WithLabels(ex.Failure.ToString().ToLowerInvariant()).Inc();
            throw;
        }
    }
}
