using AzureWorkloadIdentity.Proxy.Configuration;
using AzureWorkloadIdentity.Proxy.Diagnostics;
using AzureWorkloadIdentity.Proxy.Forwarding;
using AzureWorkloadIdentity.Proxy.Token;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace AzureWorkloadIdentity.Proxy;

public static class ProxyServiceCollectionExtensions
{
    /// <summary>Registers the proxy. A test may register its own <see cref="ITokenSource"/> or <see cref="TimeProvider"/> first.</summary>
    public static IServiceCollection AddImdsProxy(this IServiceCollection services, ProxyOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new ProxyMetrics(Metrics.NewCustomRegistry()));
        services.TryAddSingleton<ITokenSource>(_ => new MsalTokenSource(options));
        services.AddSingleton(sp => new TokenCache(
            new MeasuredTokenSource(sp.GetRequiredService<ITokenSource>(), sp.GetRequiredService<ProxyMetrics>()),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ImdsHttpInvoker>();
        services.AddHttpForwarder();
        return services;
    }
}
