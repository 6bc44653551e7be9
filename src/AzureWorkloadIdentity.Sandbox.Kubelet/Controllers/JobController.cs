using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;

/// <summary>
/// The job controller: follows Jobs and the phases of their pods (which a kubelet, <c>LocalPodRunner</c>, writes) and
/// lets <see cref="JobReconciler"/> decide for each Job.
/// </summary>
public sealed class JobController : Controller
{
    private readonly JobReconciler _jobs;

    public JobController(IKubernetes client, ILogger logger)
        : base(client, logger)
    {
        _jobs = new JobReconciler(client, (ns, name) => Owners.LogCreated(logger, "Pod", ns, name));
        Run("job", stopping => FollowAsync(
            Client.BatchV1.WatchListJobForAllNamespacesAsync(cancellationToken: stopping), j => j.Metadata, _jobs.ReconcileAsync, stopping));
        Run("job pods", PodsAsync);
    }

    /// <summary>A pod of a Job that changed (its phase, as the kubelet reports it) makes the controller look at the Job again.</summary>
    private Task PodsAsync(CancellationToken stopping) => FollowAsync(
        Client.CoreV1.WatchListPodForAllNamespacesAsync(labelSelector: JobReconciler.ControllerUidLabel, cancellationToken: stopping),
        p => p.Metadata,
        (pod, token) => pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "Job") is { } owner
            ? _jobs.ReconcileAsync(new V1Job { Metadata = new V1ObjectMeta { Name = owner.Name, NamespaceProperty = pod.Metadata.NamespaceProperty } }, token)
            : Task.CompletedTask,
        stopping);
}
