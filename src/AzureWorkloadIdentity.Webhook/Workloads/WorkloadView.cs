using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Workloads;

/// <summary>
/// What the workload warnings read of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob: its kind,
/// its own metadata and its pod template, read in the request's one forward pass (<see cref="WorkloadReader"/>).
/// Both template places are read because <c>request.kind</c>, which tells which one counts, may come after the object.
/// </summary>
internal sealed class WorkloadView : IAdmissionObject<WorkloadView>
{
    /// <summary>The JSON kind of the object itself.</summary>
    public JsonValueKind Shape { get; internal set; }

    /// <summary>The object's own <c>kind</c>, when a string.</summary>
    public string? Kind { get; internal set; }

    public PodMetadataView Metadata { get; internal set; } = PodMetadataView.Absent;

    /// <summary><c>spec.template</c>, or null when absent.</summary>
    public PodView? Template { get; internal set; }

    /// <summary><c>spec.jobTemplate.spec.template</c> (CronJobs), or null when absent.</summary>
    public PodView? JobTemplate { get; internal set; }

    static WorkloadView IAdmissionObject<WorkloadView>.Read(ref Utf8JsonReader reader) => WorkloadReader.Read(ref reader);
}
