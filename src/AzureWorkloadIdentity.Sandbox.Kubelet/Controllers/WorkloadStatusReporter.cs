using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;

/// <summary>
/// The status the replica-set and deployment controllers report through <c>/status</c>, as <c>kubectl rollout
/// status</c> and <c>kubectl wait --for=condition=Available</c> read it: a ReplicaSet's replicas and ready/available
/// pods (a pod counts once its <c>Ready</c> condition is True; <c>minReadySeconds</c> is not modelled), a
/// Deployment's <c>observedGeneration</c>, replicas, <c>updatedReplicas</c> (of the ReplicaSet of its current
/// template), ready and available replicas and its <c>Available</c> and <c>Progressing</c> conditions.
/// Nothing is written when nothing changed, so the controllers' own writes do not loop.
/// </summary>
internal sealed class WorkloadStatusReporter(IKubernetes client)
{
    public async Task ReplicaSetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var replicaSet = await ReadAsync(() => client.AppsV1.ReadNamespacedReplicaSetAsync(name, ns, cancellationToken: cancellationToken));
        if (replicaSet is null)
        {
            return;
        }

        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: cancellationToken);
        var owned = pods.Items
            .Where(p => p.Metadata.DeletionTimestamp is null && p.Metadata.OwnerReferences?.Any(o => o.Uid == replicaSet.Metadata.Uid) == true)
            .ToList();
        var ready = owned.Count(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        var current = replicaSet.Status;
        if (current is not null && current.Replicas == owned.Count && (current.ReadyReplicas ?? 0) == ready
            && (current.AvailableReplicas ?? 0) == ready && current.ObservedGeneration == replicaSet.Metadata.Generation)
        {
            return;
        }

        await PatchAsync(() => client.AppsV1.PatchNamespacedReplicaSetStatusAsync(
            Patch(new
            {
                status = new
                {
                    replicas = owned.Count,
                    fullyLabeledReplicas = owned.Count,
                    readyReplicas = ready,
                    availableReplicas = ready,
                    observedGeneration = replicaSet.Metadata.Generation,
                },
            }),
            name, ns, cancellationToken: cancellationToken));
    }

    public async Task DeploymentAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var deployment = await ReadAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken));
        if (deployment is null)
        {
            return;
        }

        var sets = (await client.AppsV1.ListNamespacedReplicaSetAsync(ns, cancellationToken: cancellationToken)).Items
            .Where(r => r.Metadata.OwnerReferences?.Any(o => o.Uid == deployment.Metadata.Uid) == true)
            .ToList();
        var hash = DeploymentController.TemplateHash(deployment.Spec.Template);
        var newest = sets.FirstOrDefault(r =>
            r.Metadata.Labels is { } labels && labels.TryGetValue(DeploymentController.PodTemplateHashLabel, out var label) && label == hash);
        var desired = deployment.Spec.Replicas ?? 1;
        var replicas = sets.Sum(r => r.Status?.Replicas ?? 0);
        var updated = newest?.Status?.Replicas ?? 0;
        var ready = sets.Sum(r => r.Status?.ReadyReplicas ?? 0);
        var available = sets.Sum(r => r.Status?.AvailableReplicas ?? 0);
        var complete = updated == desired && replicas == desired && available == desired;
        var isAvailable = available >= desired;
        var now = DateTime.UtcNow;
        var conditions = new[]
        {
            Condition(deployment, "Available", isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now),
            Condition(deployment, "Progressing", complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                $"ReplicaSet \"{newest?.Metadata.Name ?? deployment.Metadata.Name}\" {(complete ? "has successfully progressed." : "is progressing.")}", now, isAvailable || !complete),
        };
        var status = deployment.Status;
        if (status is not null && status.ObservedGeneration == deployment.Metadata.Generation && (status.Replicas ?? 0) == replicas
            && (status.UpdatedReplicas ?? 0) == updated && (status.ReadyReplicas ?? 0) == ready && (status.AvailableReplicas ?? 0) == available
            && conditions.All(c => status.Conditions?.Any(s => s.Type == c.Type && s.Status == c.Status && s.Reason == c.Reason) == true))
        {
            return;
        }

        await PatchAsync(() => client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            Patch(new
            {
                status = new
                {
                    observedGeneration = deployment.Metadata.Generation,
                    replicas,
                    updatedReplicas = updated,
                    readyReplicas = ready,
                    availableReplicas = available,
                    unavailableReplicas = Math.Max(0, desired - available),
                    conditions,
                },
            }),
            name, ns, cancellationToken: cancellationToken));
    }

    /// <summary>A condition, keeping its transition time while its status stays the same.</summary>
    private static V1DeploymentCondition Condition(V1Deployment deployment, string type, string reason, string message, DateTime now, bool status = true)
    {
        var value = type == "Available" ? (reason == "MinimumReplicasAvailable" ? "True" : "False") : (status ? "True" : "False");
        var previous = deployment.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
        return new V1DeploymentCondition
        {
            Type = type,
            Status = value,
            Reason = reason,
            Message = message,
            LastUpdateTime = now,
            LastTransitionTime = previous?.Status == value ? previous.LastTransitionTime : now,
        };
    }

    private static V1Patch Patch(object value) => new(KubernetesJson.Serialize(value), V1Patch.PatchType.MergePatch);

    private static async Task<T?> ReadAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task PatchAsync<T>(Func<Task<T>> patch)
    {
        try
        {
            await patch();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Deleted meanwhile, or changed: the next event reports again.
        }
    }
}
