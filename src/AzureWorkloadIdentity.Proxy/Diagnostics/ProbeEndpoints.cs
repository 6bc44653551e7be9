using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace AzureWorkloadIdentity.Proxy.Diagnostics;

public static class ProbeEndpoints
{
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";
    public const string MetricsPath = "/metrics";

    /// <summary>/readyz answers once the listener serves, which is exactly when the init container's redirect becomes safe.</summary>
    public static IEndpointRouteBuilder MapProbes(this IEndpointRouteBuilder app)
    {
        app.MapGet(HealthPath, () => TypedResults.Text("ok"));
        app.MapGet(ReadyPath, () => TypedResults.Text("ok"));
        app.MapMetrics(MetricsPath, app.ServiceProvider.GetRequiredService<ProxyMetrics>().Registry);
        return app;
    }
}
