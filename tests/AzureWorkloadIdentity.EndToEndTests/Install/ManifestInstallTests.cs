using System.Diagnostics;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.TestUtilities;
using Xunit.Abstractions;

namespace AzureWorkloadIdentity.EndToEndTests.Install;

/// <summary>
/// The manifest install path exactly as docs/quickstart.md "With kubectl and helm" types it, in a shell that took only
/// <c>serve</c>'s exports (<c>eval "$(cat sandbox.env)"</c>): <c>envsubst &lt; deploy/azure-wi-webhook.yaml | kubectl
/// apply -f -</c>, both replicas Ready by <c>kubectl rollout status</c>, the Quick Start's pod mutated with the
/// sandbox's authority host, the secret in <c>kubectl logs</c>, and <c>kubectl delete -f</c> removing everything
/// (with <c>--ignore-not-found</c>, see docs/kubernetes-sandbox.md "Where it differs").
/// </summary>
[Collection("pod network")]
public sealed class ManifestInstallTests(ITestOutputHelper output)
{
    private const string Manifest = "envsubst < deploy/azure-wi-webhook.yaml";
    private const string AppNamespace = "quick-start";

    [PodNetworkFact(Timeout = 600_000)]
    public async Task Envsubst_ServesExportsOnly_QuickStartPodMutatedAndDeleteRemovesAll()
    {
        await using var world = await InstallWorld.StartAsync();
        var tools = world.Tools;
        var watch = Stopwatch.StartNew();

        await tools.ShellAsync($"{Manifest} | kubectl apply -f -");
        var rollout = await tools.ShellAsync($"kubectl rollout status deploy/azure-wi-webhook-controller-manager -n {InstallWorld.SystemNamespace} --timeout=240s");
        await world.WaitForWebhookAsync();
        var ready = watch.Elapsed;
        await tools.KubectlAsync("create", "namespace", AppNamespace);
        await tools.KubectlApplyAsync(world.ServiceAccountYaml(AppNamespace, labelled: true));
        await tools.KubectlApplyAsync(world.PodYaml(AppNamespace, "quick-start", labelled: true));
        await world.WaitForSecretAsync(AppNamespace, "quick-start");
        output.WriteLine($"kubectl apply -> webhook Ready {ready.TotalSeconds:0.0} s, -> mutated pod printed the secret {watch.Elapsed.TotalSeconds:0.0} s");
        var logs = await tools.ShellAsync($"kubectl logs quick-start -n {AppNamespace}");

        var container = world.Host.Kubernetes.Store.Get(ResourceCatalog.Pods, AppNamespace, "quick-start").ToJsonObject()["spec"]!["containers"]![0]!;
        var authority = container["env"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "AZURE_AUTHORITY_HOST")!["value"]!.GetValue<string>();
        Assert.Contains("successfully rolled out", rollout, StringComparison.Ordinal);
        Assert.Contains(InstallWorld.Expected, logs, StringComparison.Ordinal);
        Assert.Equal(world.Host.AuthorityHost.AbsoluteUri, authority);
        Assert.Contains("azure-identity-token", container["volumeMounts"]!.ToJsonString(), StringComparison.Ordinal);

        // The sandbox empties a deleted namespace within the DELETE (kube-apiserver's namespace controller does it
        // afterwards), so the namespaced objects listed after the Namespace are already gone when kubectl reaches them.
        await tools.ShellAsync($"{Manifest} | kubectl delete -f - --ignore-not-found");
        var store = world.Host.Kubernetes.Store;
        var left = await tools.KubectlAsync("get", "clusterrole,clusterrolebinding,mutatingwebhookconfiguration,namespace", "-l", $"release={InstallWorld.Release}", "-o", "name");
        Assert.Equal(string.Empty, left.Trim());
        Assert.DoesNotContain(store.List(ResourceCatalog.Namespaces, null).Items, n => n.Name.Name == InstallWorld.SystemNamespace);
        Assert.Empty(store.List(ResourceCatalog.Pods, InstallWorld.SystemNamespace).Items);
        await Eventually.TrueAsync(() => world.Host.Kubelet!.PodsIn(InstallWorld.SystemNamespace) == 0, TimeSpan.FromSeconds(60),
            () => "the kubelet still runs pods of " + InstallWorld.SystemNamespace);
    }
}
