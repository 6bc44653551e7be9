using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Workloads;

/// <summary>
/// Where the pod template of each workload kind the webhook warns about lives: <c>spec.template</c> of the apps/v1
/// controllers and Jobs, <c>spec.jobTemplate.spec.template</c> of CronJobs.
/// </summary>
internal static class WorkloadTemplate
{
    /// <summary>The template's path as users write it (for the warnings).</summary>
    public const string TemplatePath = "spec.template";

    /// <summary>The CronJob template's path.</summary>
    public const string CronJobTemplatePath = "spec.jobTemplate.spec.template";

    /// <summary>The path of the pod template of <paramref name="kind"/> in <paramref name="group"/>; null for any other kind.</summary>
    public static string? PathOf(string? group, string? kind) => (group, kind) switch
    {
        ("apps", "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet") => TemplatePath,
        ("batch", "Job") => TemplatePath,
        ("batch", "CronJob") => CronJobTemplatePath,
        _ => null,
    };

    /// <summary>The pod template at <paramref name="path"/>, or null when it is missing.</summary>
    public static PodView? Find(WorkloadView workload, string path)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return path == CronJobTemplatePath ? workload.JobTemplate : workload.Template;
    }
}
