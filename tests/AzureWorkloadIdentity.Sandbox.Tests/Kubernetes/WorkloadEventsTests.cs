using AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;
using AzureWorkloadIdentity.TestUtilities;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

/// <summary>
/// The Events the deployment, replica-set and job controllers record, with kube-controller-manager's reasons,
/// messages and sources, read back through the API.
/// </summary>
public sealed class WorkloadEventsTests : ControllersTestBase
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task Deployment_ScaledUpThenDown_ScalingReplicaSetAndPodEvents()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("api", "main", replicas: 2), "default");
        var created = await UntilAsync(list => list.Count(e => e.Reason == "SuccessfulCreate") == 2);
        var replicaSet = Assert.Single((await Client.AppsV1.ListNamespacedReplicaSetAsync("default")).Items).Metadata.Name;

        await Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "api", "default");
        var events = await UntilAsync(list => list.Any(e => e.Reason == "SuccessfulDelete"));

        var scaling = events.Where(e => e.Reason == "ScalingReplicaSet").ToList();
        Assert.Equal(
            [$"Scaled down replica set {replicaSet} from 2 to 1", $"Scaled up replica set {replicaSet} from 0 to 2"],
            scaling.Select(e => e.Message).Order(StringComparer.Ordinal));
        Assert.All(scaling, e => Assert.Equal(("Deployment", "api", "deployment-controller"), (e.InvolvedObject.Kind, e.InvolvedObject.Name, e.Source.Component)));
        var pods = (await Client.CoreV1.ListNamespacedPodAsync("default")).Items.Select(p => p.Metadata.Name).ToList();
        Assert.All(created.Where(e => e.Reason == "SuccessfulCreate"), e =>
        {
            Assert.Equal(("ReplicaSet", replicaSet, "replicaset-controller"), (e.InvolvedObject.Kind, e.InvolvedObject.Name, e.Source.Component));
            Assert.StartsWith("Created pod: " + replicaSet + "-", e.Message, StringComparison.Ordinal);
        });
        var deleted = Assert.Single(events, e => e.Reason == "SuccessfulDelete");
        Assert.DoesNotContain(deleted.Message["Deleted pod: ".Length..], pods);
    }

    [Fact(Timeout = Timeout)]
    public async Task ReplicaSet_PodRefusedByAdmission_FailedCreateWarningWithTheApiServersMessage()
    {
        var deployment = Deployment("orphan", "main", replicas: 1);
        deployment.Spec.Template.Spec.ServiceAccountName = "missing";

        await Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default");

        var events = await UntilAsync(list => list.Any(e => e.Reason == "FailedCreate"));
        var failed = Assert.Single(events, e => e.Reason == "FailedCreate");
        Assert.Equal(("Warning", "ReplicaSet", "replicaset-controller"), (failed.Type, failed.InvolvedObject.Kind, failed.Source.Component));
        Assert.StartsWith("Error creating: pods \"orphan-", failed.Message, StringComparison.Ordinal);
        Assert.Contains("serviceaccount \"missing\" not found", failed.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Job_PodSucceeds_SuccessfulCreateThenCompleted()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "once" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox" }] } } },
        }, "default");
        var created = Assert.Single(await UntilAsync(list => list.Any(e => e.Reason == "SuccessfulCreate")), e => e.Reason == "SuccessfulCreate");
        var pod = Assert.Single((await Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"{JobReconciler.JobNameLabel}=once")).Items);

        await Client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("""{"status":{"phase":"Succeeded"}}""", V1Patch.PatchType.MergePatch), pod.Metadata.Name, "default");

        var completed = Assert.Single(await UntilAsync(list => list.Any(e => e.Reason == "Completed")), e => e.Reason == "Completed");
        Assert.Equal(("Job", "once", "job-controller", "Job completed"), (completed.InvolvedObject.Kind, completed.InvolvedObject.Name, completed.Source.Component, completed.Message));
        Assert.Equal("Created pod: " + pod.Metadata.Name, created.Message);
    }

    private Task<IList<Corev1Event>> UntilAsync(Func<IList<Corev1Event>, bool> done) =>
        Eventually.UntilAsync(async () => (await Client.CoreV1.ListNamespacedEventAsync("default")).Items, done, "the controllers' Events");

    private static V1Deployment Deployment(string name, string container, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = container, Image = "busybox" }] },
            },
        },
    };
}
