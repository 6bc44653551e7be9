using System.Globalization;
using AzureWorkloadIdentity.Proxy.Configuration;
using AzureWorkloadIdentity.Proxy.Diagnostics;

namespace AzureWorkloadIdentity.Proxy.Token;

internal static class TokenEndpoints
{
    /// <summary>IMDS's path; routing matches it with or without the trailing slash msal-node adds, and case-insensitively.</summary>
    public static IEndpointRouteBuilder MapImdsToken(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metadata/identity/oauth2/token", GetTokenAsync);
        return app;
    }

    public static async Task<IResult> GetTokenAsync(HttpRequest request, ProxyOptions options, TokenCache cache,
        TimeProvider time, ProxyMetrics metrics, ILogger<TokenRequest> logger, CancellationToken cancellationToken)
    {
        var parsed = TokenRequest.Parse(request.Query, request.Headers, options.DefaultClientId, out var error);
        if (parsed is null)
        {
            ProxyLog.RequestRefused(logger, error!.Error, error.ErrorDescription);
            metrics.TokenRequests.WithLabels("bad_request").Inc();
            return Error(StatusCodes.Status400BadRequest, error);
        }
        try
        {
            var token = await cache.GetAsync(parsed.ClientId, parsed.Resource, parsed.Scope, cancellationToken).ConfigureAwait(false);
            metrics.TokenRequests.WithLabels("success").Inc();
            ProxyLog.TokenServed(logger, parsed.ClientId, parsed.Resource, token.ExpiresOn);
            var now = time.GetUtcNow();
            var expiresIn = Math.Max(0, (long)(token.ExpiresOn - now).TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Json(new ImdsTokenResponse(token.AccessToken, parsed.ClientId, expiresIn, expiresIn,
                now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), parsed.Resource, "Bearer",
                token.ExpiresOn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)), ProxyJsonContext.Default.ImdsTokenResponse);
        }
        catch (TokenExchangeException ex)
        {
            ProxyLog.ExchangeFailed(logger, parsed.ClientId, parsed.Resource, ex.Failure.ToString(), ex.ErrorCode, ex.Message);
            metrics.TokenRequests.WithLabels(ex.Failure.ToString().ToLowerInvariant()).Inc();
            return ex.Failure switch
            {
                // A 400 tells MSAL not to retry: the refusal will not change by asking again.
                TokenExchangeFailure.Refused => Error(StatusCodes.Status400BadRequest, new ImdsError(ex.ErrorCode, ex.Message)),
                // 503 and 429 are what MSAL.NET, Azure.Core and msal-node retry for IMDS (with backoff, honouring
                // Retry-After); by their next try the shared exchange may have finished. Not 504: DefaultAzureCredential's
                // first probe takes a gateway error for "no managed identity here" and gives up on it.
                TokenExchangeFailure.TimedOut => Retry(request, StatusCodes.Status503ServiceUnavailable, TimeSpan.FromSeconds(1), new ImdsError("timeout", ex.Message)),
                TokenExchangeFailure.Unavailable => Retry(request, StatusCodes.Status503ServiceUnavailable, TimeSpan.FromSeconds(1), new ImdsError("service_unavailable", ex.Message)),
                TokenExchangeFailure.Throttled => Retry(request, StatusCodes.Status429TooManyRequests, ex.RetryAfter ?? TimeSpan.FromSeconds(1), new ImdsError("too_many_requests", ex.Message)),
                // The kubelet writes the token before any container starts, so a missing or unreadable file is the
                // pod's configuration, not a passing state: a 400 says so at once instead of ~25 s of SDK retries.
                TokenExchangeFailure.AssertionUnavailable => Error(StatusCodes.Status400BadRequest, new ImdsError(ex.ErrorCode, ex.Message)),
                _ => Error(StatusCodes.Status500InternalServerError, new ImdsError(ex.ErrorCode, ex.Message)),
            };
        }
    }

    private static IResult Retry(HttpRequest request, int status, TimeSpan after, ImdsError error)
    {
        request.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Error(status, error);
    }

    private static IResult Error(int status, ImdsError error) =>
        TypedResults.Json(error, ProxyJsonContext.Default.ImdsError, statusCode: status);
}
