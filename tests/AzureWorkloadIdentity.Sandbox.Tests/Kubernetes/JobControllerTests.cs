using AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;
using AzureWorkloadIdentity.TestUtilities;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

/// <summary>
/// The sandbox's job controller against its API server, the test playing the kubelet: it writes the phase a kubelet
/// would report for each pod the controller creates.
/// </summary>
public sealed class JobControllerTests : ControllersTestBase
{
    [Fact(Timeout = 60_000)]
    public async Task Job_PodSucceeds_CompleteWithOneSucceeded()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(Job("once", backoffLimit: 2), "default");

        var pod = await NextActivePodAsync("once", alreadySeen: 0);
        await SetPhaseAsync(pod, "Succeeded");

        var job = await UntilAsync(() => Client.BatchV1.ReadNamespacedJobAsync("once", "default"), j => Condition(j) is not null);
        Assert.Equal(("Complete", "CompletionsReached"), Condition(job));
        Assert.Equal(1, job.Status.Succeeded);
        Assert.Equal(0, job.Status.Failed);
        Assert.Single((await Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"{JobReconciler.JobNameLabel}=once")).Items);
    }

    [Fact(Timeout = 60_000)]
    public async Task Job_PodsFailPastBackoffLimit_FailedWithBackoffLimitExceededAndNoMorePods()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(Job("flaky", backoffLimit: 1), "default");

        // backoffLimit 1: the first failure is retried with a new pod, the second ends the Job.
        await SetPhaseAsync(await NextActivePodAsync("flaky", alreadySeen: 0), "Failed");
        var retry = await NextActivePodAsync("flaky", alreadySeen: 1);
        var running = await Client.BatchV1.ReadNamespacedJobAsync("flaky", "default");
        Assert.Null(Condition(running));
        await SetPhaseAsync(retry, "Failed");

        var job = await UntilAsync(() => Client.BatchV1.ReadNamespacedJobAsync("flaky", "default"), j => Condition(j) is not null);
        Assert.Equal(("Failed", "BackoffLimitExceeded"), Condition(job));
        Assert.Equal(2, job.Status.Failed);
        Assert.Equal(0, job.Status.Active);
        await Task.Delay(500);
        Assert.Equal(2, (await Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"{JobReconciler.JobNameLabel}=flaky")).Items.Count);
    }

    private async Task<V1Pod> NextActivePodAsync(string job, int alreadySeen)
    {
        var pods = await UntilAsync(
            async () => (await Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"{JobReconciler.JobNameLabel}={job}")).Items,
            p => p.Count == alreadySeen + 1);
        return Assert.Single(pods, p => p.Status?.Phase is not ("Succeeded" or "Failed"));
    }

    private Task SetPhaseAsync(V1Pod pod, string phase) => Client.CoreV1.PatchNamespacedPodStatusAsync(
        new V1Patch(KubernetesJson.Serialize(new { status = new { phase } }), V1Patch.PatchType.MergePatch),
        pod.Metadata.Name, "default");

    private static (string Type, string Reason)? Condition(V1Job job) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Status == "True") is { } c ? (c.Type, c.Reason) : null;

    private static V1Job Job(string name, int backoffLimit) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1JobSpec
        {
            BackoffLimit = backoffLimit,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            },
        },
    };

    private static Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done) => Eventually.UntilAsync(read, done, "the job controller");
}
