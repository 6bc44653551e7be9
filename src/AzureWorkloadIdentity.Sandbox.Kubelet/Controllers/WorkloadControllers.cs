using System.Net;
using System.Security.Cryptography;
using System.Text;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Events;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;

/// <summary>
/// The two controllers between a Deployment and its pods, as kube-controller-manager runs them, talking to the API
/// server like any client: the deployment controller makes one ReplicaSet per pod template (named
/// <c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>, owned by the Deployment), and the replica-set controller creates
/// the missing pods from the template with <c>generateName</c> and an owner reference — and, as the real one does,
/// without <c>metadata.namespace</c> in the body, so the pods reach admission webhooks as controller-made pods do.
/// A pod refused by admission is reported in the ReplicaSet's <c>ReplicaFailure</c> condition with the API server's
/// message. Deleting an owner deletes what it owns through the API server's own garbage collection. Scaling up and down, a changed
/// template (new ReplicaSet, old ones scaled to zero) and the status <c>kubectl rollout status</c> reads are
/// (<see cref="WorkloadStatusReporter"/>); not modelled: surge-by-surge rolling updates, replacing deleted pods. The job controller
/// (<see cref="JobReconciler"/>) runs beside them: it follows Jobs and the phases of their pods, which a kubelet
/// (<c>LocalPodRunner</c>) writes.
/// </summary>
public sealed partial class WorkloadControllers : IAsyncDisposable
{
    public const string PodTemplateHashLabel = "pod-template-hash";

    private readonly IKubernetes _client;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, string> _reconciled = [];
    private readonly Lock _gate = new();
    private readonly Task[] _loops;
    private readonly JobReconciler _jobs;
    private readonly WorkloadStatusReporter _status;
    private readonly EventRecorder _deploymentEvents;
    private readonly EventRecorder _replicaSetEvents;

    private WorkloadControllers(IKubernetes client, ClusterEvents events, ILogger logger)
    {
        _client = client;
        _logger = logger;
        _deploymentEvents = events.Recorder("deployment-controller");
        _replicaSetEvents = events.Recorder("replicaset-controller");
        _jobs = new JobReconciler(client, events.Recorder("job-controller"), (ns, name) => LogCreated(logger, "Pod", ns, name));
        _status = new WorkloadStatusReporter(client);
        _loops =
        [
            RunAsync("deployment", DeploymentsAsync, _stopping.Token),
            RunAsync("replicaset", ReplicaSetsAsync, _stopping.Token),
            RunAsync("job", JobsAsync, _stopping.Token),
            RunAsync("job pods", JobPodsAsync, _stopping.Token),
            RunAsync("replicaset pods", ReplicaSetPodsAsync, _stopping.Token),
            RunAsync("deployment replicasets", DeploymentReplicaSetsAsync, _stopping.Token),
        ];
    }

    /// <summary>Starts both controllers with a client of their own; disposing stops them and disposes the client.</summary>
    public static WorkloadControllers Start(KubernetesApiServer server, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new WorkloadControllers(server.CreateClient(), server.Events, logger ?? NullLogger.Instance);
    }

    private async Task RunAsync(string name, Func<CancellationToken, Task> watch, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await watch(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A controller survives any failure of its watch: it relists, as the real ones do.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWatchFailed(_logger, name, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private Task DeploymentsAsync(CancellationToken stopping) => FollowAsync(
        _client.AppsV1.WatchListDeploymentForAllNamespacesAsync(cancellationToken: stopping), d => d.Metadata, ReconcileDeploymentAsync, stopping);

    private Task ReplicaSetsAsync(CancellationToken stopping) => FollowAsync(
        _client.AppsV1.WatchListReplicaSetForAllNamespacesAsync(cancellationToken: stopping), r => r.Metadata, ReconcileReplicaSetAsync, stopping);

    private Task JobsAsync(CancellationToken stopping) => FollowAsync(
        _client.BatchV1.WatchListJobForAllNamespacesAsync(cancellationToken: stopping), j => j.Metadata, _jobs.ReconcileAsync, stopping);

    /// <summary>A pod of a Job that changed (its phase, as the kubelet reports it) makes the controller look at the Job again.</summary>
    private Task JobPodsAsync(CancellationToken stopping) => FollowAsync(
        _client.CoreV1.WatchListPodForAllNamespacesAsync(labelSelector: JobReconciler.ControllerUidLabel, cancellationToken: stopping),
        p => p.Metadata,
        (pod, token) => pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "Job") is { } owner
            ? _jobs.ReconcileAsync(new V1Job { Metadata = new V1ObjectMeta { Name = owner.Name, NamespaceProperty = pod.Metadata.NamespaceProperty } }, token)
            : Task.CompletedTask,
        stopping);

    /// <summary>A pod of a ReplicaSet that appeared, changed (readiness) or went makes its ReplicaSet report again.</summary>
    private async Task ReplicaSetPodsAsync(CancellationToken stopping)
    {
        await foreach (var (_, pod) in _client.CoreV1.WatchListPodForAllNamespacesAsync(cancellationToken: stopping).WithCancellation(stopping))
        {
            if (pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "ReplicaSet") is { } owner)
            {
                await _status.ReplicaSetAsync(pod.Metadata.NamespaceProperty, owner.Name, stopping);
            }
        }
    }

    /// <summary>A ReplicaSet of a Deployment that changed (its status) makes the Deployment report again.</summary>
    private async Task DeploymentReplicaSetsAsync(CancellationToken stopping)
    {
        await foreach (var (_, set) in _client.AppsV1.WatchListReplicaSetForAllNamespacesAsync(cancellationToken: stopping).WithCancellation(stopping))
        {
            if (set.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "Deployment") is { } owner)
            {
                await _status.DeploymentAsync(set.Metadata.NamespaceProperty, owner.Name, stopping);
            }
        }
    }

    /// <summary>Reconciles each added or modified object; a deleted one is forgotten (the API server deletes what it owned).</summary>
    private async Task FollowAsync<T>(
        IAsyncEnumerable<(WatchEventType Type, T Item)> events, Func<T, V1ObjectMeta> metadata, Func<T, CancellationToken, Task> reconcile, CancellationToken stopping)
    {
        await foreach (var (type, item) in events.WithCancellation(stopping))
        {
            if (type is WatchEventType.Added or WatchEventType.Modified)
            {
                await reconcile(item, stopping);
            }
            else if (type is WatchEventType.Deleted)
            {
                lock (_gate)
                {
                    _reconciled.Remove(metadata(item).Uid);
                }
            }
        }
    }

    private async Task ReconcileDeploymentAsync(V1Deployment deployment, CancellationToken stopping)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var hash = TemplateHash(deployment.Spec.Template);
        if (!FirstTime(deployment.Metadata.Uid, hash + "/" + deployment.Spec.Replicas))
        {
            return;
        }

        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(deployment.Spec.Template));
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>())
        {
            [PodTemplateHashLabel] = hash,
        };
        var selector = new Dictionary<string, string>(deployment.Spec.Selector?.MatchLabels ?? new Dictionary<string, string>())
        {
            [PodTemplateHashLabel] = hash,
        };
        var replicaSet = new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = $"{deployment.Metadata.Name}-{hash}",
                Labels = template.Metadata.Labels,
                OwnerReferences = [OwnerReference("apps/v1", "Deployment", deployment.Metadata)],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = deployment.Spec.Replicas ?? 1,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = template,
            },
        };
        try
        {
            await _client.AppsV1.CreateNamespacedReplicaSetAsync(replicaSet, ns, cancellationToken: stopping);
            LogCreated(_logger, "ReplicaSet", ns, replicaSet.Metadata.Name);
            if (replicaSet.Spec.Replicas > 0)
            {
                _deploymentEvents.Normal(
                    KubernetesEventTargets.Of("apps/v1", "Deployment", deployment.Metadata),
                    "ScalingReplicaSet",
                    $"Scaled up replica set {replicaSet.Metadata.Name} from 0 to {replicaSet.Spec.Replicas}");
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Made before (the same template hashes to the same name).
        }

        await ScaleReplicaSetsAsync(deployment, replicaSet.Metadata.Name, stopping);
        await _status.DeploymentAsync(ns, deployment.Metadata.Name, stopping);
    }

    /// <summary>
    /// Scaling and rollout, simplified: the ReplicaSet of the current template gets the Deployment's replicas, every
    /// older one goes to zero (all at once, not surge by surge).
    /// </summary>
    private async Task ScaleReplicaSetsAsync(V1Deployment deployment, string current, CancellationToken stopping)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var sets = await _client.AppsV1.ListNamespacedReplicaSetAsync(ns, cancellationToken: stopping);
        foreach (var set in sets.Items.Where(r => r.Metadata.OwnerReferences?.Any(o => o.Uid == deployment.Metadata.Uid) == true))
        {
            var wanted = set.Metadata.Name == current ? deployment.Spec.Replicas ?? 1 : 0;
            var had = set.Spec.Replicas ?? 1;
            if (had != wanted)
            {
                await _client.AppsV1.PatchNamespacedReplicaSetAsync(
                    new V1Patch(KubernetesJson.Serialize(new { spec = new { replicas = wanted } }), V1Patch.PatchType.MergePatch),
                    set.Metadata.Name, ns, cancellationToken: stopping);
                _deploymentEvents.Normal(
                    KubernetesEventTargets.Of("apps/v1", "Deployment", deployment.Metadata),
                    "ScalingReplicaSet",
                    $"Scaled {(wanted > had ? "up" : "down")} replica set {set.Metadata.Name} from {had} to {wanted}");
            }
        }
    }

    private async Task ReconcileReplicaSetAsync(V1ReplicaSet replicaSet, CancellationToken stopping)
    {
        var ns = replicaSet.Metadata.NamespaceProperty;
        var wanted = replicaSet.Spec.Replicas ?? 1;
        if (!FirstTime(replicaSet.Metadata.Uid, $"{wanted}/{TemplateHash(replicaSet.Spec.Template)}"))
        {
            return;
        }

        var selector = string.Join(',', (replicaSet.Spec.Selector?.MatchLabels ?? new Dictionary<string, string>()).Select(l => $"{l.Key}={l.Value}"));
        var pods = await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: stopping);
        var ownedPods = pods.Items
            .Where(p => p.Metadata.DeletionTimestamp is null && p.Metadata.OwnerReferences?.Any(o => o.Uid == replicaSet.Metadata.Uid) == true)
            .OrderByDescending(p => p.Metadata.CreationTimestamp)
            .ToList();
        var owned = ownedPods.Count;
        foreach (var extra in ownedPods.Take(Math.Max(0, owned - wanted)))
        {
            // Scale down: the newest pods go first.
            await _client.CoreV1.DeleteNamespacedPodAsync(extra.Metadata.Name, ns, cancellationToken: stopping);
            _replicaSetEvents.Normal(ReplicaSetTarget(replicaSet), "SuccessfulDelete", $"Deleted pod: {extra.Metadata.Name}");
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
                    OwnerReferences = [OwnerReference("apps/v1", "ReplicaSet", replicaSet.Metadata)],
                },
                Spec = replicaSet.Spec.Template.Spec,
            };
            try
            {
                var created = await _client.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: stopping);
                LogCreated(_logger, "Pod", ns, created.Metadata.Name);
                _replicaSetEvents.Normal(ReplicaSetTarget(replicaSet), "SuccessfulCreate", $"Created pod: {created.Metadata.Name}");
            }
            catch (HttpOperationException e)
            {
                failure = KubernetesStatusMessage(e);
                LogPodRefused(_logger, ns, replicaSet.Metadata.Name, failure);
                _replicaSetEvents.Warning(ReplicaSetTarget(replicaSet), "FailedCreate", $"Error creating: {failure}");
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
            await _client.AppsV1.PatchNamespacedReplicaSetStatusAsync(patch, replicaSet.Metadata.Name, replicaSet.Metadata.NamespaceProperty, cancellationToken: stopping);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted meanwhile.
        }
    }

    /// <summary>
    /// Whether this object's relevant state (template, replicas) has not been acted on yet. The controllers' own
    /// status writes come back as Modified events; this keeps them from acting twice on one state.
    /// </summary>
    private bool FirstTime(string uid, string state)
    {
        lock (_gate)
        {
            if (_reconciled.TryGetValue(uid, out var seen) && seen == state)
            {
                return false;
            }

            _reconciled[uid] = state;
            return true;
        }
    }

    private static EventTarget ReplicaSetTarget(V1ReplicaSet replicaSet) =>
        KubernetesEventTargets.Of("apps/v1", "ReplicaSet", replicaSet.Metadata);

    internal static V1OwnerReference OwnerReference(string apiVersion, string kind, V1ObjectMeta owner) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Name,
        Uid = owner.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>A short, name-safe hash of the pod template, as the deployment controller's pod-template-hash.</summary>
    public static string TemplateHash(V1PodTemplateSpec template)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(template)));
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789"; // the real controller's safe alphabet: no vowels, no 0/1/3
        var hash = new StringBuilder(10);
        foreach (var b in digest.AsSpan(0, 10))
        {
            hash.Append(Alphabet[b % Alphabet.Length]);
        }

        return hash.ToString();
    }

    private static string KubernetesStatusMessage(HttpOperationException e)
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

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        _client.Dispose();
    }

    [LoggerMessage(1, LogLevel.Information, "controller: created {Kind} {Namespace}/{Name}")]
    private static partial void LogCreated(ILogger logger, string kind, string @namespace, string name);

    [LoggerMessage(2, LogLevel.Warning, "controller: creating a pod of replica set {Namespace}/{ReplicaSet} was refused: {Reason}")]
    private static partial void LogPodRefused(ILogger logger, string @namespace, string replicaSet, string reason);

    [LoggerMessage(3, LogLevel.Warning, "controller: the {Controller} watch failed and is restarted: {Reason}")]
    private static partial void LogWatchFailed(ILogger logger, string controller, string reason);
}
