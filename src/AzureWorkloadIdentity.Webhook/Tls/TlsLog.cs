namespace AzureWorkloadIdentity.Webhook.Tls;

/// <summary>Certificate log lines: subject, thumbprint and expiry only, never key material.</summary>
public static partial class TlsLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "serving certificate loaded from {Directory}: subject {Subject}, thumbprint {Thumbprint}, expires {NotAfter:o}")]
    public static partial void Loaded(ILogger logger, string directory, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "serving certificate in {Directory} is not available yet ({Detail}); the webhook is not ready until tls.crt and tls.key exist")]
    public static partial void NotYetAvailable(ILogger logger, string directory, string detail);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error,
        Message = "tls.crt/tls.key in {Directory} could not be loaded ({Detail}); keeping the previous certificate: {KeptPrevious}. Fix the secret so both files form one PEM certificate and its private key")]
    public static partial void Broken(ILogger logger, string directory, string detail, bool keptPrevious);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning,
        Message = "cannot watch {Directory} for certificate changes ({Detail}); relying on periodic polling")]
    public static partial void WatchFailed(ILogger logger, string directory, string detail);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning,
        Message = "new serving certificate in {Directory} (thumbprint {Thumbprint}) held back, the previous one keeps serving: {Reason}")]
    public static partial void HeldBack(ILogger logger, string directory, string thumbprint, string reason);
}
