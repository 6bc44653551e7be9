namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>Exchanges the pod's federated token for an access token (MSAL in production, fakes in tests).</summary>
internal interface ITokenSource
{
    /// <exception cref="TokenExchangeException">Entra ID refused or could not be reached.</exception>
    Task<AccessTokenResult> AcquireAsync(string clientId, string scope, CancellationToken cancellationToken);
}
