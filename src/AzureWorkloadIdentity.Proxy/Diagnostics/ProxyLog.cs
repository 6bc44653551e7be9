namespace AzureWorkloadIdentity.Proxy.Diagnostics;

/// <summary>Source-generated log messages; none carries a token or assertion.</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "IMDS proxy listening on 127.0.0.1:{Port}, tenant {TenantId}, authority {AuthorityHost}")]
    public static partial void Started(ILogger logger, int port, string tenantId, Uri authorityHost);

    // Debug: a cached token is served on every request, at rates where a line each would cost more than the request.
    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Token served for client {ClientId}, resource {Resource}, expires {ExpiresOn:o}")]
    public static partial void TokenServed(ILogger logger, string clientId, string resource, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Token request refused: {Error}: {Description}")]
    public static partial void RequestRefused(ILogger logger, string error, string description);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Token exchange for client {ClientId}, resource {Resource} failed ({Failure}, {ErrorCode}): {Description}")]
    public static partial void ExchangeFailed(ILogger logger, string clientId, string resource, string failure, string errorCode, string description);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Forwarding {Method} {Path} to the instance metadata service")]
    public static partial void Forwarding(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Forwarding {Path} to the instance metadata service failed: {Error}")]
    public static partial void ForwardFailed(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Token acquired from Entra ID for client {ClientId}, scope {Scope}, expires {ExpiresOn:o}")]
    public static partial void TokenAcquired(ILogger logger, string clientId, string scope, DateTimeOffset expiresOn);
}
