namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>An access token and when it stops being valid.</summary>
public sealed record AccessTokenResult(string AccessToken, DateTimeOffset ExpiresOn);
