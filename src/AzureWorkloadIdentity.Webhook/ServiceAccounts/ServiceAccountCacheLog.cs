namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

internal static partial class ServiceAccountCacheLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Service account cache listed {Count} service accounts at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, int count, string? resourceVersion);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Service account watch expired (410 Gone) at resourceVersion {ResourceVersion}; listing again")]
    public static partial void WatchExpired(ILogger logger, string? resourceVersion);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Service account list/watch failed; retrying in {Delay}")]
    public static partial void SyncFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Service account {Namespace}/{Name} was not cached; read it from the API server")]
    public static partial void CacheMiss(ILogger logger, string @namespace, string name);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Could not decode a service account watch event")]
    public static partial void BadWatchEvent(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Service account watch delivered nothing and was not ended by the API server within {Limit}; reconnecting from resourceVersion {ResourceVersion}")]
    public static partial void WatchSilent(ILogger logger, TimeSpan limit, string? resourceVersion);
}
