using Prometheus;

namespace AzureWorkloadIdentity.Proxy.Diagnostics;

internal static class ProbeEndpoints
{
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// /healthz: the process serves. /readyz: the configuration was valid (else the process would not run) and the
    /// projected token file is readable, so a token request can be exchanged.
    /// </summary>
    public static IEndpointRouteBuilder MapProbes(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<Configuration.ProxyOptions>();
        app.MapGet(HealthPath, () => TypedResults.Text("ok"));
        app.MapGet(ReadyPath, () => Ready(options.TokenFile));
        app.MapMetrics(MetricsPath, app.ServiceProvider.GetRequiredService<ProxyMetrics>().Registry);
        return app;
    }

    private static IResult Ready(string tokenFile)
    {
        try
        {
            using var stream = File.OpenRead(tokenFile);
            return stream.Length > 0
                ? TypedResults.Text("ok")
                : TypedResults.Text($"the federated token file {tokenFile} is empty", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return TypedResults.Text($"the federated token file {tokenFile} is not readable: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
