namespace AzureWorkloadIdentity.Proxy.Token;

internal enum TokenExchangeFailure
{
    /// <summary>Entra ID answered with an AADSTS error (wrong client id, no federated credential, ...).</summary>
    Refused,
    /// <summary>Entra ID could not be reached or answered 5xx.</summary>
    Unavailable,
    /// <summary>The exchange did not finish within the configured time.</summary>
    TimedOut,
    /// <summary>The federated token file could not be read.</summary>
    AssertionUnavailable,
    /// <summary>Entra ID answered 429: ask again after <see cref="TokenExchangeException.RetryAfter"/>.</summary>
    Throttled,
}
