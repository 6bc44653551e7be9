namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>A token exchange failed; <see cref="ErrorCode"/> is Entra's error (e.g. invalid_client) when it refused.</summary>
internal sealed class TokenExchangeException(TokenExchangeFailure failure, string errorCode, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public TokenExchangeFailure Failure { get; } = failure;
    public string ErrorCode { get; } = errorCode;

    /// <summary>How long Entra ID asked to wait (its <c>Retry-After</c>), for <see cref="TokenExchangeFailure.Throttled"/>.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
