using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;

/// <summary>
/// The deployment controller: one ReplicaSet per pod template (named <c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>,
/// owned by the Deployment); the ReplicaSet of the current template gets the Deployment's replicas and every older one
/// goes to zero (all at once, not surge by surge); the status <c>kubectl rollout status</c> reads is written by
/// <see cref="WorkloadStatusReporter"/> whenever one of its ReplicaSets changes.
/// </summary>
public sealed partial class DeploymentController : Controller
{
    public const string PodTemplateHashLabel = "pod-template-hash";

    private readonly WorkloadStatusReporter _status;

    public DeploymentController(IKubernetes client, ILogger logger)
        : base(client, logger)
    {
        _status = new WorkloadStatusReporter(client);
        Run("deployment", stopping => FollowAsync(
            Client.AppsV1.WatchListDeploymentForAllNamespacesAsync(cancellationToken: stopping), d => d.Metadata, ReconcileAsync, stopping));
        // A ReplicaSet of a Deployment that changed (its status) makes the Deployment report again.
        Run("deployment replicasets", stopping => FollowOwnersAsync(
            Client.AppsV1.WatchListReplicaSetForAllNamespacesAsync(cancellationToken: stopping), r => r.Metadata, "Deployment",
            _status.DeploymentAsync, stopping));
    }

    /// <summary>A short, name-safe hash of the pod template, as the deployment controller's pod-template-hash.</summary>
    public static string TemplateHash(V1PodTemplateSpec template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(template)));
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789"; // the real controller's safe alphabet: no vowels, no 0/1/3
        var hash = new StringBuilder(10);
        foreach (var b in digest.AsSpan(0, 10))
        {
            hash.Append(Alphabet[b % Alphabet.Length]);
        }

        return hash.ToString();
    }

    private async Task ReconcileAsync(V1Deployment deployment, CancellationToken stopping)
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
                OwnerReferences = [Owners.Controller("apps/v1", "Deployment", deployment.Metadata)],
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
            await Client.AppsV1.CreateNamespacedReplicaSetAsync(replicaSet, ns, cancellationToken: stopping);
            Owners.LogCreated(Logger, "ReplicaSet", ns, replicaSet.Metadata.Name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Made before (the same template hashes to the same name).
        }

        await ScaleReplicaSetsAsync(deployment, replicaSet.Metadata.Name, stopping);
        await _status.DeploymentAsync(ns, deployment.Metadata.Name, stopping);
    }

    private async Task ScaleReplicaSetsAsync(V1Deployment deployment, string current, CancellationToken stopping)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var sets = await Client.AppsV1.ListNamespacedReplicaSetAsync(ns, cancellationToken: stopping);
        foreach (var set in sets.Items.Where(r => r.Metadata.OwnerReferences?.Any(o => o.Uid == deployment.Metadata.Uid) == true))
        {
            var wanted = set.Metadata.Name == current ? deployment.Spec.Replicas ?? 1 : 0;
            if ((set.Spec.Replicas ?? 1) != wanted)
            {
                await Client.AppsV1.PatchNamespacedReplicaSetAsync(
                    new V1Patch(KubernetesJson.Serialize(new { spec = new { replicas = wanted } }), V1Patch.PatchType.MergePatch),
                    set.Metadata.Name, ns, cancellationToken: stopping);
            }
        }
    }
}
