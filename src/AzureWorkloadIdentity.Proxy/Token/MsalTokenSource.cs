using System.Net.Http.Headers;
using AzureWorkloadIdentity.Proxy.Configuration;
using Microsoft.Identity.Client;

namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>
/// Client-credentials exchange with the projected service-account token as client assertion.
/// One confidential client per client id, at most <see cref="MaxClients"/> of them for <see cref="ClientLifetime"/>
/// each (as the original's credential cache); the assertion callback re-reads the file on every exchange because the
/// kubelet rotates it. MSAL's own token cache is emptied before each use: <see cref="TokenCache"/> is the one cache,
/// bounded, and MSAL's would otherwise keep a second copy of every token without limit.
/// </summary>
internal sealed class MsalTokenSource(ProxyOptions options, IMsalHttpClientFactory? httpClientFactory = null, TimeProvider? time = null) : ITokenSource
{
    public const int MaxClients = 128;

    public static readonly TimeSpan ClientLifetime = TimeSpan.FromHours(25);

    private readonly LruMap<string, IConfidentialClientApplication> _apps = new(MaxClients, ClientLifetime, time ?? TimeProvider.System, StringComparer.OrdinalIgnoreCase);

    public async Task<AccessTokenResult> AcquireAsync(string clientId, string scope, CancellationToken cancellationToken)
    {
        var app = _apps.GetOrAdd(clientId, Build);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ExchangeTimeout);
        try
        {
            var result = await app.AcquireTokenForClient([scope]).ExecuteAsync(timeout.Token).ConfigureAwait(false);
            return new AccessTokenResult(result.AccessToken, result.ExpiresOn);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TokenExchangeException(TokenExchangeFailure.TimedOut, "timeout",
                $"Entra ID at {options.AuthorityHost} did not answer within {options.ExchangeTimeout.TotalSeconds:0} s.", ex);
        }
        catch (MsalServiceException ex) when (ex.StatusCode == 429)
        {
            // MsalThrottledServiceException is MSAL replaying a recent 429 without a request; its header is the original's.
            var headers = (ex as MsalThrottledServiceException)?.OriginalServiceException?.Headers ?? ex.Headers;
            throw new TokenExchangeException(TokenExchangeFailure.Throttled, "too_many_requests",
                $"Entra ID at {options.AuthorityHost} is throttling token requests (429); ask again later.", ex)
            {
                RetryAfter = RetryAfter(headers?.RetryAfter),
            };
        }
        catch (MsalServiceException ex) when (ex.StatusCode is >= 500 or 0 || ex.ErrorCode is MsalError.ServiceNotAvailable or MsalError.RequestTimeout)
        {
            throw new TokenExchangeException(TokenExchangeFailure.Unavailable, ex.ErrorCode,
                $"Entra ID at {options.AuthorityHost} is unavailable ({ex.ErrorCode}).", ex);
        }
        catch (MsalServiceException ex)
        {
            throw new TokenExchangeException(TokenExchangeFailure.Refused, ex.ErrorCode, ex.Message, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TokenExchangeException(TokenExchangeFailure.Unavailable, "service_unavailable",
                $"Entra ID at {options.AuthorityHost} could not be reached: {ex.Message}", ex);
        }
        catch (MsalClientException ex) when (ex.InnerException is IOException or UnauthorizedAccessException)
        {
            throw AssertionUnreadable(ex.InnerException);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw AssertionUnreadable(ex);
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) =>
        header?.Delta ?? (header?.Date is { } date ? date - (time ?? TimeProvider.System).GetUtcNow() : null);

    private TokenExchangeException AssertionUnreadable(Exception ex) =>
        new(TokenExchangeFailure.AssertionUnavailable, "invalid_request",
            $"The federated token file {options.TokenFile} could not be read ({ex.GetType().Name}); check the projected service-account token volume.", ex);

    private IConfidentialClientApplication Build(string clientId)
    {
        var builder = ConfidentialClientApplicationBuilder.Create(clientId)
            .WithAuthority(new Uri(options.AuthorityHost, options.TenantId).ToString(), validateAuthority: !options.DisableInstanceDiscovery)
            .WithInstanceDiscovery(!options.DisableInstanceDiscovery)
            .WithClientAssertion(async (AssertionRequestOptions o) =>
                (await File.ReadAllTextAsync(options.TokenFile, o.CancellationToken).ConfigureAwait(false)).Trim());
        if (httpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(httpClientFactory);
        }

        var app = builder.Build();
        app.AppTokenCache.SetBeforeAccess(static args => args.TokenCache.DeserializeMsalV3(null, shouldClearExistingCache: true));
        return app;
    }
}
