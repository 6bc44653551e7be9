using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;

/// <summary>
/// The job controller's decision for one Job, as kube-controller-manager makes it (one pod at a time): count its pods
/// by phase; <c>completions</c> (default 1) succeeded ⇒ condition <c>Complete</c>; more failed pods than
/// <c>backoffLimit</c> (default 6) ⇒ condition <c>Failed</c> (reason <c>BackoffLimitExceeded</c>); no pod active ⇒
/// create one from the template (<c>generateName</c> <c>&lt;job&gt;-</c>, labels <c>job-name</c> and
/// <c>controller-uid</c>, owned by the Job, no namespace in the body). A native sidecar never keeps a pod active:
/// the kubelet ends the pod when its regular containers have ended. Not modelled: parallelism, pod deletion on
/// failure, activeDeadlineSeconds, suspend, the exponential back-off delay.
/// </summary>
internal sealed class JobReconciler(IKubernetes client, Action<string, string> created)
{
    public const string JobNameLabel = "job-name";
    public const string ControllerUidLabel = "controller-uid";

    private readonly SemaphoreSlim _serial = new(1, 1);

    public async Task ReconcileAsync(V1Job job, CancellationToken stopping)
    {
        await _serial.WaitAsync(stopping);
        try
        {
            // The event may be stale; act on the Job as it is now.
            V1Job current;
            try
            {
                current = await client.BatchV1.ReadNamespacedJobAsync(job.Metadata.Name, job.Metadata.NamespaceProperty, cancellationToken: stopping);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return;
            }

            await ReconcileCurrentAsync(current, stopping);
        }
        finally
        {
            _serial.Release();
        }
    }

    private async Task ReconcileCurrentAsync(V1Job job, CancellationToken stopping)
    {
        if (job.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true)
        {
            return;
        }

        var ns = job.Metadata.NamespaceProperty;
        var pods = (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{ControllerUidLabel}={job.Metadata.Uid}", cancellationToken: stopping)).Items;
        var succeeded = pods.Count(p => p.Status?.Phase == "Succeeded");
        var failed = pods.Count(p => p.Status?.Phase == "Failed");
        var active = pods.Count - succeeded - failed;
        V1JobCondition? condition = null;
        if (succeeded >= (job.Spec.Completions ?? 1))
        {
            condition = Condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods");
        }
        else if (failed > (job.Spec.BackoffLimit ?? 6))
        {
            condition = Condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        }
        else if (active == 0)
        {
            await CreatePodAsync(job, stopping);
            active = 1;
        }

        if (condition is null && job.Status?.Active == active && job.Status?.Succeeded == succeeded && job.Status?.Failed == failed)
        {
            return;
        }

        var status = new
        {
            active,
            succeeded,
            failed,
            conditions = condition is null ? null : new[] { condition },
            completionTime = condition?.Type == "Complete" ? DateTime.UtcNow : (DateTime?)null,
        };
        await client.BatchV1.PatchNamespacedJobStatusAsync(
            new V1Patch(KubernetesJson.Serialize(new { status }), V1Patch.PatchType.MergePatch), job.Metadata.Name, ns, cancellationToken: stopping);
    }

    private async Task CreatePodAsync(V1Job job, CancellationToken stopping)
    {
        var template = job.Spec.Template;
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            [JobNameLabel] = job.Metadata.Name,
            [ControllerUidLabel] = job.Metadata.Uid,
        };
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = job.Metadata.Name + "-",
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [Owners.Controller("batch/v1", "Job", job.Metadata)],
            },
            Spec = template.Spec,
        };
        var made = await client.CoreV1.CreateNamespacedPodAsync(pod, job.Metadata.NamespaceProperty, cancellationToken: stopping);
        created(job.Metadata.NamespaceProperty, made.Metadata.Name);
    }

    private static V1JobCondition Condition(string type, string reason, string message) => new()
    {
        Type = type,
        Status = "True",
        Reason = reason,
        Message = message,
        LastTransitionTime = DateTime.UtcNow,
        LastProbeTime = DateTime.UtcNow,
    };
}
