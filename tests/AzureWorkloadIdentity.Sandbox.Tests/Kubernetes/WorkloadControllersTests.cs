using AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;
using AzureWorkloadIdentity.TestUtilities;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

public sealed class WorkloadControllersTests : ControllersTestBase
{
    [Fact(Timeout = 60_000)]
    public async Task Deployment_GetsOneReplicaSetAndItsPods_DeletingItDeletesThem()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("api", replicas: 2), "default");

        var pods = await UntilAsync(async () => (await Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=api")).Items, p => p.Count == 2);
        var replicaSet = Assert.Single((await Client.AppsV1.ListNamespacedReplicaSetAsync("default")).Items);
        var hash = replicaSet.Metadata.Labels[DeploymentController.PodTemplateHashLabel];
        Assert.Equal($"api-{hash}", replicaSet.Metadata.Name);
        Assert.Equal("Deployment", Assert.Single(replicaSet.Metadata.OwnerReferences).Kind);
        Assert.All(pods, p =>
        {
            Assert.StartsWith($"api-{hash}-", p.Metadata.Name, StringComparison.Ordinal);
            Assert.Equal(replicaSet.Metadata.Uid, Assert.Single(p.Metadata.OwnerReferences).Uid);
            Assert.Equal(hash, p.Metadata.Labels[DeploymentController.PodTemplateHashLabel]);
        });

        await Client.AppsV1.DeleteNamespacedDeploymentAsync("api", "default");

        await UntilAsync(async () => (await Client.CoreV1.ListNamespacedPodAsync("default")).Items, p => p.Count == 0);
        Assert.Empty((await Client.AppsV1.ListNamespacedReplicaSetAsync("default")).Items);
    }

    [Fact]
    public void TemplateHash_IsStableAndDependsOnTheTemplate()
    {
        var a = Deployment("a", 1).Spec.Template;
        var b = Deployment("b", 1).Spec.Template;

        Assert.Equal(DeploymentController.TemplateHash(a), DeploymentController.TemplateHash(Deployment("a", 3).Spec.Template));
        Assert.NotEqual(DeploymentController.TemplateHash(a), DeploymentController.TemplateHash(b));
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{10}$", DeploymentController.TemplateHash(a));
    }

    private static V1Deployment Deployment(string name, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            },
        },
    };

    private static Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done) => Eventually.UntilAsync(read, done, "the controllers");
}
