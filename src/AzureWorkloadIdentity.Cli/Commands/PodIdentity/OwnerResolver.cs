using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.PodIdentity;

/// <summary>
/// Finds the object to migrate for a pod: the top of its controller chain (Pod → ReplicaSet → Deployment,
/// Pod → Job → CronJob, …) or the pod itself when nothing controls it.
/// </summary>
internal static class OwnerResolver
{
    public static async Task<IKubernetesObject<V1ObjectMeta>> ResolveAsync(IKubernetes client, V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(pod);
        IKubernetesObject<V1ObjectMeta> current = pod;
        var ns = pod.Namespace();
        while (Controller(current) is { } owner)
        {
            current = await GetAsync(client, owner.Kind, owner.Name, ns, cancellationToken).ConfigureAwait(false);
        }

        return current;
    }

    private static V1OwnerReference? Controller(IKubernetesObject<V1ObjectMeta> item) =>
        item.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    private static async Task<IKubernetesObject<V1ObjectMeta>> GetAsync(IKubernetes client, string kind, string name, string ns, CancellationToken ct) =>
        kind switch
        {
            "Deployment" => await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
            "StatefulSet" => await client.AppsV1.ReadNamespacedStatefulSetAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
            "DaemonSet" => await client.AppsV1.ReadNamespacedDaemonSetAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
            "ReplicaSet" => await client.AppsV1.ReadNamespacedReplicaSetAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
            "Job" => await client.BatchV1.ReadNamespacedJobAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
            "CronJob" => await client.BatchV1.ReadNamespacedCronJobAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
            "ReplicationController" => await client.CoreV1.ReadNamespacedReplicationControllerAsync(name, ns, cancellationToken: ct).ConfigureAwait(false),
            _ => throw new InvalidOperationException($"unsupported owner kind: {kind}"),
        };

    /// <summary>The pod spec inside a workload object (the template's spec for controllers).</summary>
    public static V1PodSpec PodSpec(IKubernetesObject<V1ObjectMeta> item) =>
        item switch
        {
            V1Pod p => p.Spec,
            V1Deployment d => d.Spec.Template.Spec,
            V1StatefulSet s => s.Spec.Template.Spec,
            V1DaemonSet d => d.Spec.Template.Spec,
            V1ReplicaSet r => r.Spec.Template.Spec,
            V1Job j => j.Spec.Template.Spec,
            V1CronJob c => c.Spec.JobTemplate.Spec.Template.Spec,
            V1ReplicationController r => r.Spec.Template.Spec,
            _ => throw new InvalidOperationException($"unsupported owner kind: {item.Kind}"),
        };
}
