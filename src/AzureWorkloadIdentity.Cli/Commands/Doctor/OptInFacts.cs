using AzureWorkloadIdentity.Core;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>Where the opt-in label is, as the webhook reads it (the pod's labels, or the service account's).</summary>
internal static class OptInFacts
{
    /// <summary>The value of the pod's (template's) <c>azure.workload.identity/use</c> label, or null.</summary>
    public static string? TemplateValue(DoctorTarget target) =>
        target?.TemplateMetadata?.Labels?.TryGetValue(WorkloadIdentityLabels.Use, out var value) == true ? value : null;

    /// <summary>The label on the workload's own metadata (a Deployment's, a Job's), which the webhook never sees.</summary>
    public static string? WorkloadValue(DoctorTarget target) =>
        target?.Workload is { } workload && workload is not V1Pod
        && workload.Metadata?.Labels?.TryGetValue(WorkloadIdentityLabels.Use, out var value) == true ? value : null;

    /// <summary>The deprecated opt-in: the service account's label or annotation, exactly "true".</summary>
    public static bool ServiceAccountOptsIn(V1ServiceAccount? account) =>
        account is not null
        && (IsTrue(account.Metadata?.Labels) || IsTrue(account.Metadata?.Annotations));

    public static bool OptsIn(DoctorTarget target, V1ServiceAccount? account) =>
        TemplateValue(target) == WorkloadIdentityLabels.UseValue || ServiceAccountOptsIn(account);

    private static bool IsTrue(IDictionary<string, string>? values) =>
        values?.TryGetValue(WorkloadIdentityLabels.Use, out var value) == true && value == WorkloadIdentityLabels.UseValue;
}
