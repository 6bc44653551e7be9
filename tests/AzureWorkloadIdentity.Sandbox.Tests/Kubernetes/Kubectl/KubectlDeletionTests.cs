using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// Deletion as kubectl sees it on a real cluster: cascading through owner references (background, orphan),
/// finalizers that hold an object (<c>kubectl wait --for=delete</c> returns when they are removed, times out with
/// kubectl's message when not), terminating namespaces and graceful pod deletion.
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class KubectlDeletionTests(KubectlSandbox sandbox)
{
    private const int Timeout = 120_000;
    private static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "ReplicaSet", true);
    private static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);

    private ObjectStore Store => sandbox.Host.Kubernetes.Store;

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task DeleteDeployment_Wait_RemovesItsReplicaSetAndPods(string version)
    {
        var ns = await NamespaceAsync(version, "del-deploy");
        (await sandbox.KubectlWithInputAsync(version, KubectlManifests.Deployment("web", 2), "apply", "-n", ns, "-f", "-")).Succeeded();
        await Eventually.TrueAsync(() => Store.List(ResourceCatalog.Pods, ns).Items.Count == 2, TimeSpan.FromSeconds(30), () => "the deployment's pods were not made");

        (await sandbox.KubectlAsync(version, "delete", "deployment", "web", "-n", ns, "--wait")).Succeeded();

        Assert.Empty(Store.List(ReplicaSets, ns).Items);
        Assert.Empty(Store.List(ResourceCatalog.Pods, ns).Items);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task DeleteDeployment_CascadeOrphan_KeepsReplicaSetWithoutOwner(string version)
    {
        var ns = await NamespaceAsync(version, "del-orphan");
        (await sandbox.KubectlWithInputAsync(version, KubectlManifests.Deployment("web", 1), "apply", "-n", ns, "-f", "-")).Succeeded();
        await Eventually.TrueAsync(() => Store.List(ReplicaSets, ns).Items.Count == 1, TimeSpan.FromSeconds(30), () => "the deployment's replica set was not made");

        (await sandbox.KubectlAsync(version, "delete", "deployment", "web", "-n", ns, "--cascade=orphan")).Succeeded();

        Assert.Empty(Assert.Single(Store.List(ReplicaSets, ns).Items).OwnerUids);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task WaitForDelete_FinalizerRemovedMeanwhile_Returns(string version)
    {
        var ns = await NamespaceAsync(version, "del-final");
        (await sandbox.KubectlWithInputAsync(version, KubectlManifests.HeldConfigMap("held"), "apply", "-n", ns, "-f", "-")).Succeeded();
        (await sandbox.KubectlAsync(version, "delete", "configmap", "held", "-n", ns, "--wait=false")).Succeeded();
        var marked = Store.Get(ConfigMaps, ns, "held").ToJsonObject();

        var timedOut = await sandbox.KubectlAsync(version, "wait", "--for=delete", "configmap/held", "-n", ns, "--timeout=2s");
        var waiting = sandbox.KubectlAsync(version, "wait", "--for=delete", "configmap/held", "-n", ns, "--timeout=60s");
        (await sandbox.KubectlAsync(version, "patch", "configmap", "held", "-n", ns, "--type=merge", "-p", """{"metadata":{"finalizers":null}}""")).Succeeded();
        var waited = await waiting;

        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.Equal(1, timedOut.ExitCode);
        Assert.Contains("timed out waiting for the condition on configmaps/held", timedOut.Error, StringComparison.Ordinal);
        waited.Succeeded();
        Assert.DoesNotContain(Store.List(ConfigMaps, ns).Items, item => item.Name.Name == "held");
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task DeleteNamespace_HeldContent_TerminatingAndRefusesNewObjects(string version)
    {
        var ns = await NamespaceAsync(version, "del-ns");
        (await sandbox.KubectlWithInputAsync(version, KubectlManifests.HeldConfigMap("held"), "apply", "-n", ns, "-f", "-")).Succeeded();

        (await sandbox.KubectlAsync(version, "delete", "namespace", ns, "--wait=false")).Succeeded();
        var listed = (await sandbox.KubectlAsync(version, "get", "namespace", ns, "--no-headers")).Succeeded();
        var refused = await sandbox.KubectlAsync(version, "create", "configmap", "late", "-n", ns);
        (await sandbox.KubectlAsync(version, "patch", "configmap", "held", "-n", ns, "--type=merge", "-p", """{"metadata":{"finalizers":null}}""")).Succeeded();
        (await sandbox.KubectlAsync(version, "wait", "--for=delete", "namespace/" + ns, "--timeout=30s")).Succeeded();

        Assert.Equal("Terminating", listed.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"configmaps \"late\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", refused.Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task DeletePod_BoundToNode_TerminatingUntilKubeletDeletesIt(string version)
    {
        var ns = await NamespaceAsync(version, "del-pod");
        (await sandbox.KubectlAsync(version, "run", "web", "-n", ns, "--image=nginx")).Succeeded();
        Store.Patch(ResourceCatalog.Pods, ns, "web", pod =>
        {
            pod["spec"]!["nodeName"] = "sandbox";
            pod["status"] = new JsonObject { ["phase"] = "Running" };
            return pod;
        });

        (await sandbox.KubectlAsync(version, "delete", "pod", "web", "-n", ns, "--wait=false")).Succeeded();
        var listed = (await sandbox.KubectlAsync(version, "get", "pod", "web", "-n", ns, "--no-headers")).Succeeded();
        var marked = Store.Get(ResourceCatalog.Pods, ns, "web").ToJsonObject();
        (await sandbox.KubectlAsync(version, "delete", "pod", "web", "-n", ns, "--grace-period=0", "--force")).Succeeded();

        Assert.Equal("Terminating", listed.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]);
        Assert.Equal(30, marked["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        Assert.Empty(Store.List(ResourceCatalog.Pods, ns).Items);
    }

    private async Task<string> NamespaceAsync(string version, string prefix)
    {
        var ns = KubectlSandbox.NewNamespace(prefix);
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        return ns;
    }
}
