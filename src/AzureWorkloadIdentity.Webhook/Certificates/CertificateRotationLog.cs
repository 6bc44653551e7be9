namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>Certificate rotation log lines: names, reasons and expiry only, never key material.</summary>
internal static partial class CertificateRotationLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "certificate rotation enabled: secret {Namespace}/{Secret}, webhook configuration {WebhookConfiguration}, DNS name {DnsName}, writing files to {CertDir}: {WriteFiles}")]
    public static partial void Started(ILogger logger, string @namespace, string secret, string webhookConfiguration, string dnsName, string certDir, bool writeFiles);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "updated secret {Namespace}/{Secret}: {Reasons}")]
    public static partial void SecretUpdated(ILogger logger, string @namespace, string secret, string reasons);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information,
        Message = "secret {Namespace}/{Secret} was changed by another replica; re-reading it")]
    public static partial void SecretConflict(ILogger logger, string @namespace, string secret);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information,
        Message = "injected the CA bundle into {Count} webhook(s) of {WebhookConfiguration}")]
    public static partial void CaBundleInjected(ILogger logger, int count, string webhookConfiguration);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning,
        Message = "certificate reconcile failed, retrying in {Delay}: {Error}")]
    public static partial void ReconcileFailed(ILogger logger, TimeSpan delay, string error);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "wrote tls.crt, tls.key and ca.crt to {CertDir}")]
    public static partial void FilesWritten(ILogger logger, string certDir);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "created secret {Namespace}/{Secret}")]
    public static partial void SecretCreated(ILogger logger, string @namespace, string secret);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning,
        Message = "watching {What} failed, retrying in {Delay}: {Error}")]
    public static partial void WatchFailed(ILogger logger, string what, TimeSpan delay, string error);
}
