using ZLogger;

namespace AzureWorkloadIdentity.Webhook.Diagnostics;

/// <summary>
/// Admission log lines; every one names the pod, namespace and service account. Never values or tokens. At the default
/// level one of these is written for every admission, so they are ZLogger's generated events: the values are kept as
/// they are and written straight into the line as UTF-8 by the log writer's task, with no message string and no boxing. A parameter is named as its placeholder, the line's key in JSON
/// (<c>Namespace</c>: ZLogger's generator does not escape <c>@namespace</c>).
/// </summary>
internal static partial class AdmissionLog
{
    [ZLoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "mutated pod {Pod} in namespace {Namespace} for service account {ServiceAccount} ({PatchBytes} bytes of patch)")]
    public static partial void Mutated(ILogger logger, string pod, string Namespace, string serviceAccount, int patchBytes);

    [ZLoggerMessage(EventId = 1002, Level = LogLevel.Debug,
        Message = "skipped pod {Pod} in namespace {Namespace} for service account {ServiceAccount}: {Reason}")]
    public static partial void Skipped(ILogger logger, string pod, string Namespace, string serviceAccount, string reason);

    [ZLoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "denied pod {Pod} in namespace {Namespace} for service account {ServiceAccount}: {Reason}: {Detail}")]
    public static partial void Denied(ILogger logger, string pod, string Namespace, string serviceAccount, string reason, string detail);

    [ZLoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "rejected admission request without a usable uid (pod, namespace and service account unknown): {Detail}")]
    public static partial void BadRequest(ILogger logger, string detail);

    [ZLoggerMessage(EventId = 1005, Level = LogLevel.Information,
        Message = "warning for pod {Pod} in namespace {Namespace} for service account {ServiceAccount}: {Warning}")]
    public static partial void Warned(ILogger logger, string pod, string Namespace, string serviceAccount, string warning);

    [ZLoggerMessage(EventId = 1006, Level = LogLevel.Debug,
        Message = "reviewed workload {Workload} in namespace {Namespace} for service account {ServiceAccount}: {Reason}, {WarningCount} warnings")]
    public static partial void WorkloadReviewed(ILogger logger, string workload, string Namespace, string serviceAccount, string reason, int warningCount);

    [ZLoggerMessage(EventId = 1007, Level = LogLevel.Information,
        Message = "warning for workload {Workload} in namespace {Namespace} for service account {ServiceAccount}: {Warning}")]
    public static partial void WorkloadWarned(ILogger logger, string workload, string Namespace, string serviceAccount, string warning);
}
