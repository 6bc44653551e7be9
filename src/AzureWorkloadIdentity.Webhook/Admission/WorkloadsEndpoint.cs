using AzureWorkloadIdentity.Webhook.Workloads;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// <c>POST /warn-v1-workloads</c>: Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs, answered
/// by <see cref="WorkloadReviewer"/> (allowed, with warnings) through the same reading and budget as the pod path.
/// </summary>
internal static class WorkloadsEndpoint
{
    public const string Path = "/warn-v1-workloads";

    public static RequestDelegate Create(IServiceProvider services) =>
        AdmissionEndpoint.Create<WorkloadView, WorkloadReviewer>(services);
}
