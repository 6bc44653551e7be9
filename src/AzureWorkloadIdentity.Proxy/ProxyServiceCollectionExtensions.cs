using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.Proxy.Configuration;
using AzureWorkloadIdentity.Proxy.Diagnostics;
using AzureWorkloadIdentity.Proxy.Forwarding;
using AzureWorkloadIdentity.Proxy.Token;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace AzureWorkloadIdentity.Proxy;

internal static class ProxyServiceCollectionExtensions
{
    /// <summary>Registers the proxy. A test may register its own <see cref="ITokenSource"/> or <see cref="TimeProvider"/> first.</summary>
    public static IServiceCollection AddImdsProxy(this IServiceCollection services, ProxyOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new ProxyMetrics(Metrics.NewCustomRegistry()));
        services.TryAddSingleton<ITokenSource>(_ => new MsalTokenSource(options));
        services.AddSingleton(sp => new TokenCache(
            new MeasuredTokenSource(
                sp.GetRequiredService<ITokenSource>(), sp.GetRequiredService<ProxyMetrics>(), sp.GetRequiredService<ILogger<MeasuredTokenSource>>()),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ImdsHttpInvoker>();
        services.AddHttpForwarder();
        return services;
    }

    /// <summary>
    /// The proxy's categories from <paramref name="level"/>; framework categories (request start/finish, HttpClient)
    /// from Warning unless the level is Trace, so a busy pod does not log a line per token request.
    /// </summary>
    public static ILoggingBuilder AddProxyLogging(this ILoggingBuilder logging, LogLevel level, string format)
    {
        logging.AddConsoleLogging(level, format);
        if (level > LogLevel.Trace)
        {
            logging.AddFilter("Microsoft", LogLevel.Warning);
            logging.AddFilter("System", LogLevel.Warning);

            // Any enabled level here makes hosting start an Activity and a log scope per request (docs/performance.md).
            logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }

        return logging;
    }
}
