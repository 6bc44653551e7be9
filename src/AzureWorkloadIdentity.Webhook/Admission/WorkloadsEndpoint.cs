using AzureWorkloadIdentity.Webhook.Diagnostics;
using AzureWorkloadIdentity.Webhook.Workloads;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// <c>POST /warn-v1-workloads</c>: Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs, answered
/// by <see cref="WorkloadReviewer"/> (allowed, with warnings) through the same reading and budget as the pod path.
/// </summary>
public static class WorkloadsEndpoint
{
    public const string Path = "/warn-v1-workloads";

    public static Task<Results<JsonHttpResult<AdmissionReviewResponse>, ContentHttpResult>> HandleAsync(
        HttpRequest request, WorkloadReviewer reviewer, AdmissionBudget budget, TimeProvider time, WebhookMetrics metrics,
        ILogger<WorkloadReviewer> logger, CancellationToken cancellationToken) =>
        AdmissionEndpoint.ServeAsync(request, reviewer, budget, time, metrics, logger, cancellationToken);
}
