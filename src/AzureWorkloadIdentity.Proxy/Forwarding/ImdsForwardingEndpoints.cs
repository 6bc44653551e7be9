using AzureWorkloadIdentity.Proxy.Configuration;
using AzureWorkloadIdentity.Proxy.Diagnostics;
using Yarp.ReverseProxy.Forwarder;

namespace AzureWorkloadIdentity.Proxy.Forwarding;

/// <summary>Every path other than the token endpoint and probes goes to the real IMDS unchanged (YARP direct forwarding).</summary>
internal static class ImdsForwardingEndpoints
{
    public static IEndpointRouteBuilder MapImdsForwarding(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<ProxyOptions>();
        var invoker = app.ServiceProvider.GetRequiredService<ImdsHttpInvoker>().Invoker;
        var config = new ForwarderRequestConfig { ActivityTimeout = options.ExchangeTimeout };
        app.Map("/{**path}", async (HttpContext context, IHttpForwarder forwarder, ProxyMetrics metrics, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger("AzureWorkloadIdentity.Proxy.Forwarding");
            ProxyLog.Forwarding(logger, context.Request.Method, context.Request.Path);
            metrics.Forwarded.Inc();
            var error = await forwarder.SendAsync(context, options.ImdsEndpoint.ToString(), invoker, config);
            if (error != ForwarderError.None)
            {
                ProxyLog.ForwardFailed(logger, context.Request.Path, error.ToString());
            }
        });
        return app;
    }
}
