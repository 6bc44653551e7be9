using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// The deployment and replica-set controllers report the status kubectl waits on: <c>rollout status</c>,
/// <c>wait --for=condition=Available</c> and <c>wait --for=condition=Ready pod/…</c> return once the pods are ready
/// (marked here as the kubelet would) and time out with kubectl's message before; <c>kubectl scale</c> scales.
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class KubectlRolloutTests(KubectlSandbox sandbox)
{
    private const int Timeout = 180_000;

    private ObjectStore Store => sandbox.Host.Kubernetes.Store;

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task RolloutStatus_PodsBecomeReady_ReturnsOnlyThen(string version)
    {
        var ns = KubectlSandbox.NewNamespace("rollout");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(version, KubectlManifests.Deployment("web", 2), "apply", "-n", ns, "-f", "-")).Succeeded();
        await Eventually.TrueAsync(() => Store.List(ResourceCatalog.Pods, ns).Items.Count == 2, TimeSpan.FromSeconds(30), () => "the deployment's pods were not made");

        var early = await sandbox.KubectlAsync(version, "rollout", "status", "deploy/web", "-n", ns, "--timeout=2s");
        var podName = Store.List(ResourceCatalog.Pods, ns).Items[0].Name.Name;
        var notReady = await sandbox.KubectlAsync(version, "wait", "--for=condition=Ready", "pod/" + podName, "-n", ns, "--timeout=2s");
        foreach (var pod in Store.List(ResourceCatalog.Pods, ns).Items)
        {
            Store.Patch(ResourceCatalog.Pods, ns, pod.Name.Name, MarkReady);
        }

        var rolledOut = (await sandbox.KubectlAsync(version, "rollout", "status", "deploy/web", "-n", ns, "--timeout=60s")).Succeeded();
        (await sandbox.KubectlAsync(version, "wait", "--for=condition=Available", "deploy/web", "-n", ns, "--timeout=60s")).Succeeded();
        (await sandbox.KubectlAsync(version, "wait", "--for=condition=Ready", "pod/" + podName, "-n", ns, "--timeout=60s")).Succeeded();
        var listed = (await sandbox.KubectlAsync(version, "get", "deploy", "web", "-n", ns, "--no-headers")).Succeeded();

        Assert.Equal(1, early.ExitCode);
        Assert.Contains("timed out waiting for the condition", early.Error, StringComparison.Ordinal);
        Assert.Equal(1, notReady.ExitCode);
        Assert.Contains($"timed out waiting for the condition on pods/{podName}", notReady.Error, StringComparison.Ordinal);
        Assert.Contains("deployment \"web\" successfully rolled out", rolledOut, StringComparison.Ordinal);
        Assert.Equal(["web", "2/2", "2", "2"], listed.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..4]);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Scale_DownThenUp_PodCountFollows(string version)
    {
        var ns = KubectlSandbox.NewNamespace("scale");
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(version, KubectlManifests.Deployment("web", 3), "apply", "-n", ns, "-f", "-")).Succeeded();
        await Eventually.TrueAsync(() => Store.List(ResourceCatalog.Pods, ns).Items.Count == 3, TimeSpan.FromSeconds(30), () => "3 pods were not made");

        (await sandbox.KubectlAsync(version, "scale", "deployment", "web", "-n", ns, "--replicas=1")).Succeeded();
        await Eventually.TrueAsync(() => Store.List(ResourceCatalog.Pods, ns).Items.Count == 1, TimeSpan.FromSeconds(30), () => "scaling down to 1 did not delete 2 pods");
        (await sandbox.KubectlAsync(version, "scale", "deployment", "web", "-n", ns, "--replicas=2")).Succeeded();
        await Eventually.TrueAsync(() => Store.List(ResourceCatalog.Pods, ns).Items.Count == 2, TimeSpan.FromSeconds(30), () => "scaling up to 2 did not make a pod");
    }

    private static JsonObject MarkReady(JsonObject pod)
    {
        pod["status"] = JsonNode.Parse("""
            {"phase":"Running","conditions":[{"type":"Ready","status":"True"},{"type":"ContainersReady","status":"True"}],
             "containerStatuses":[{"name":"nginx","ready":true,"restartCount":0,"state":{"running":{}}}]}
            """);
        return pod;
    }
}
