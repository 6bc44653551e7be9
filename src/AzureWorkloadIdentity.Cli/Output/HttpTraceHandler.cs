using System.Diagnostics;

namespace AzureWorkloadIdentity.Cli.Output;

/// <summary>
/// With <c>--debug</c>: one line per HTTP call (method, URL without query, status, duration). Headers and bodies
/// are never logged, since they carry tokens, client secrets and assertions.
/// </summary>
internal sealed class HttpTraceHandler(CliLog log, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var url = request.RequestUri?.GetLeftPart(UriPartial.Path);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            log.Debug("http request", ("method", request.Method.Method), ("url", url), ("status", (int)response.StatusCode),
                ("ms", (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            return response;
        }
        catch (HttpRequestException exception)
        {
            log.Debug("http request failed", ("method", request.Method.Method), ("url", url), ("error", exception.Message));
            throw;
        }
    }
}
