using System.Net;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Events;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;

/// <summary>
/// The replica-set controller: creates the missing pods from the template with <c>generateName</c> and an owner
/// reference — and, as the real one does, without <c>metadata.namespace</c> in the body, so the pods reach admission
/// webhooks as controller-made pods do — and deletes the newest extra ones. A pod refused by admission is reported in
/// the ReplicaSet's <c>ReplicaFailure</c> condition with the API server's message. Not modelled: replacing pods
/// deleted by someone else before the ReplicaSet changes, and trying a refused create again later (the real
/// controller requeues the ReplicaSet with a back-off; here the next change of the ReplicaSet does).
/// </summary>
public sealed partial class ReplicaSetController : Controller
{
    private readonly WorkloadStatusReporter _status;
    private readonly EventRecorder _events;

    public ReplicaSetController(IKubernetes client, EventRecorder events, ILogger logger)
        : base(client, logger)
    {
        _status = new WorkloadStatusReporter(client);
        _events = events;
        Run("replicaset", stopping => FollowAsync(
            Client.AppsV1.WatchListReplicaSetForAllNamespacesAsync(cancellationToken: stopping), r => r.Metadata, ReconcileAsync, stopping));
        // A pod of a ReplicaSet that appeared, changed (readiness) or went makes its ReplicaSet report again.
        Run("replicaset pods", stopping => FollowOwnersAsync(
            Client.CoreV1.WatchListPodForAllNamespacesAsync(cancellationToken: stopping), p => p.Metadata, "ReplicaSet",
            _status.ReplicaSetAsync, stopping));
    }

    private async Task ReconcileAsync(V1ReplicaSet replicaSet, CancellationToken stopping)
    {
        var ns = replicaSet.Metadata.NamespaceProperty;
        var wanted = replicaSet.Spec.Replicas ?? 1;
        if (!FirstTime(replicaSet.Metadata.Uid, $"{wanted}/{DeploymentController.TemplateHash(replicaSet.Spec.Template)}"))
        {
            return;
        }

        var selector = string.Join(',', (replicaSet.Spec.Selector?.MatchLabels ?? new Dictionary<string, string>()).Select(l => $"{l.Key}={l.Value}"));
        var pods = await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: stopping);
        var ownedPods = pods.Items
            .Where(p => p.Metadata.DeletionTimestamp is null && p.Metadata.OwnerReferences?.Any(o => o.Uid == replicaSet.Metadata.Uid) == true)
            .OrderByDescending(p => p.Metadata.CreationTimestamp)
            .ToList();
        var owned = ownedPods.Count;
        foreach (var extra in ownedPods.Take(Math.Max(0, owned - wanted)))
        {
            // Scale down: the newest pods go first.
            await Client.CoreV1.DeleteNamespacedPodAsync(extra.Metadata.Name, ns, cancellationToken: stopping);
            _events.Normal(Target(replicaSet), "SuccessfulDelete", $"Deleted pod: {extra.Metadata.Name}");
        }

        string? failure = null;
        for (var i = owned; i < wanted; i++)
        {
            var pod = new V1Pod
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Metadata = new V1ObjectMeta
                {
                    GenerateName = replicaSet.Metadata.Name + "-",
                    Labels = replicaSet.Spec.Template.Metadata?.Labels,
                    Annotations = replicaSet.Spec.Template.Metadata?.Annotations,
                    OwnerReferences = [Owners.Controller("apps/v1", "ReplicaSet", replicaSet.Metadata)],
                },
                Spec = replicaSet.Spec.Template.Spec,
            };
            try
            {
                var created = await Client.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: stopping);
                Owners.LogCreated(Logger, "Pod", ns, created.Metadata.Name);
                _events.Normal(Target(replicaSet), "SuccessfulCreate", $"Created pod: {created.Metadata.Name}");
            }
            catch (HttpOperationException e)
            {
                failure = StatusMessage(e);
                LogPodRefused(Logger, ns, replicaSet.Metadata.Name, failure);
                _events.Warning(Target(replicaSet), "FailedCreate", $"Error creating: {failure}");
                break;
            }
        }

        await ReportAsync(replicaSet, failure, stopping);
        await _status.ReplicaSetAsync(ns, replicaSet.Metadata.Name, stopping);
    }

    /// <summary>
    /// Records a creation failure as the ReplicaSet's <c>ReplicaFailure</c> condition, or clears an earlier one; a
    /// ReplicaSet without failures is not written to.
    /// </summary>
    private async Task ReportAsync(V1ReplicaSet replicaSet, string? failure, CancellationToken stopping)
    {
        if (failure is null && replicaSet.Status?.Conditions?.Any(c => c.Type == "ReplicaFailure") != true)
        {
            return;
        }

        var conditions = failure is null
            ? null
            : new[]
            {
                new V1ReplicaSetCondition
                {
                    Type = "ReplicaFailure",
                    Status = "True",
                    Reason = "FailedCreate",
                    Message = failure,
                    LastTransitionTime = DateTime.UtcNow,
                },
            };
        var patch = new V1Patch(
            KubernetesJson.Serialize(new { status = new { conditions } }), V1Patch.PatchType.MergePatch);
        try
        {
            await Client.AppsV1.PatchNamespacedReplicaSetStatusAsync(patch, replicaSet.Metadata.Name, replicaSet.Metadata.NamespaceProperty, cancellationToken: stopping);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted meanwhile.
        }
    }

    private static EventTarget Target(V1ReplicaSet replicaSet) => KubernetesEventTargets.Of("apps/v1", "ReplicaSet", replicaSet.Metadata);

    private static string StatusMessage(HttpOperationException e)
    {
        try
        {
            return KubernetesJson.Deserialize<V1Status>(e.Response.Content)?.Message ?? e.Message;
        }
        catch (System.Text.Json.JsonException)
        {
            return e.Response.Content ?? e.Message;
        }
    }

    [LoggerMessage(2, LogLevel.Warning, "controller: creating a pod of replica set {Namespace}/{ReplicaSet} was refused: {Reason}")]
    private static partial void LogPodRefused(ILogger logger, string @namespace, string replicaSet, string reason);
}
