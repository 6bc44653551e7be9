using Prometheus;

namespace AzureWorkloadIdentity.Proxy.Diagnostics;

/// <summary>Prometheus metrics, held per instance in their own registry so test hosts do not share counters.</summary>
internal sealed class ProxyMetrics
{
    public ProxyMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        TokenRequests = factory.CreateCounter("azwi_proxy_token_requests_total", "Token requests by outcome.", "outcome");
        Exchanges = factory.CreateCounter("azwi_proxy_token_exchanges_total", "Federated token exchanges with Entra ID by result.", "result");
        ExchangeDuration = factory.CreateHistogram("azwi_proxy_token_exchange_duration_seconds", "Duration of token exchanges with Entra ID.");
        Forwarded = factory.CreateCounter("azwi_proxy_forwarded_requests_total", "Requests forwarded to the instance metadata service.");
    }

    public CollectorRegistry Registry { get; }
    public Counter TokenRequests { get; }
    public Counter Exchanges { get; }
    public Histogram ExchangeDuration { get; }
    public Counter Forwarded { get; }
}
