namespace AzureWorkloadIdentity.Webhook.Diagnostics;

/// <summary>Admission log lines; every one names the pod, namespace and service account. Never values or tokens.</summary>
internal static partial class AdmissionLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "mutated pod {Pod} in namespace {Namespace} for service account {ServiceAccount} ({PatchBytes} bytes of patch)")]
    public static partial void Mutated(ILogger logger, string pod, string @namespace, string serviceAccount, int patchBytes);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug,
        Message = "skipped pod {Pod} in namespace {Namespace} for service account {ServiceAccount}: {Reason}")]
    public static partial void Skipped(ILogger logger, string pod, string @namespace, string serviceAccount, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "denied pod {Pod} in namespace {Namespace} for service account {ServiceAccount}: {Reason}: {Detail}")]
    public static partial void Denied(ILogger logger, string pod, string @namespace, string serviceAccount, string reason, string detail);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "rejected admission request without a usable uid (pod, namespace and service account unknown): {Detail}")]
    public static partial void BadRequest(ILogger logger, string detail);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information,
        Message = "warning for pod {Pod} in namespace {Namespace} for service account {ServiceAccount}: {Warning}")]
    public static partial void Warned(ILogger logger, string pod, string @namespace, string serviceAccount, string warning);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug,
        Message = "reviewed workload {Workload} in namespace {Namespace} for service account {ServiceAccount}: {Reason}, {WarningCount} warnings")]
    public static partial void WorkloadReviewed(ILogger logger, string workload, string @namespace, string serviceAccount, string reason, int warningCount);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information,
        Message = "warning for workload {Workload} in namespace {Namespace} for service account {ServiceAccount}: {Warning}")]
    public static partial void WorkloadWarned(ILogger logger, string workload, string @namespace, string serviceAccount, string warning);
}
