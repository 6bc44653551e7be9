namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>An access token and when it stops being valid.</summary>
internal sealed record AccessTokenResult(string AccessToken, DateTimeOffset ExpiresOn);
