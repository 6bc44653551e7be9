using System.Diagnostics;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.TestUtilities;
using Xunit.Abstractions;

namespace AzureWorkloadIdentity.EndToEndTests.Install;

/// <summary>
/// The install path a user follows, against a sandbox that runs its pods (as <c>serve</c> does): the chart installed
/// with the real helm, its two replicas running from the webhook image with in-cluster configuration, making their
/// certificate and injecting the caBundle; the Quick Start's service account and pod applied with kubectl, mutated
/// through the webhook's Service; the sample printing the secret; helm uninstall removing what the chart made.
/// </summary>
[Collection("pod network")]
public sealed class ChartInstallTests(ITestOutputHelper output)
{
    private const int Timeout = 600_000;
    private const string Release = InstallWorld.Release;
    private const string SystemNamespace = InstallWorld.SystemNamespace;
    private const string AppNamespace = "quick-start";
    private const string Expected = InstallWorld.Expected;

    [PodNetworkFact(Timeout = Timeout)]
    public async Task HelmInstall_OptInMode_QuickStartPodMutatedThroughServiceAndUninstallRemovesAll()
    {
        await using var world = await InstallWorld.StartAsync();
        var tools = world.Tools;
        var watch = Stopwatch.StartNew();
        await world.HelmInstallAsync();

        await world.WaitForWebhookAsync();
        var ready = watch.Elapsed;
        await tools.KubectlAsync("create", "namespace", AppNamespace);
        await tools.KubectlApplyAsync(world.ServiceAccountYaml(AppNamespace, labelled: true));
        await tools.KubectlApplyAsync(world.PodYaml(AppNamespace, "quick-start", labelled: true));
        var log = await world.WaitForSecretAsync(AppNamespace, "quick-start");
        output.WriteLine($"helm install -> webhook Ready {ready.TotalSeconds:0.0} s, -> mutated pod printed the secret {watch.Elapsed.TotalSeconds:0.0} s");

        var pod = world.Host.Kubernetes.Store.Get(ResourceCatalog.Pods, AppNamespace, "quick-start").ToJsonObject();
        Assert.Contains(log, l => l.Contains(Expected, StringComparison.Ordinal));
        Assert.Contains("azure-identity-token", pod["spec"]!["volumes"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("AZURE_FEDERATED_TOKEN_FILE", pod["spec"]!["containers"]![0]!["env"]!.ToJsonString(), StringComparison.Ordinal);

        // The metrics step of docs/webhook.md: port-forward to the Deployment's metrics port (a free local port here);
        // kubectl picks one replica. The mutation went to one of the two, so each replica is then read by name.
        await using (var forward = await tools.PortForwardAsync("-n", SystemNamespace, "deploy/azure-wi-webhook-controller-manager", ":8095"))
        {
            await forward.GetAsync("/metrics");
        }

        var replicas = new List<string>();
        foreach (var replica in world.Host.Kubernetes.Store.List(ResourceCatalog.Pods, SystemNamespace).Items)
        {
            await using var forward = await tools.PortForwardAsync("-n", SystemNamespace, "pod/" + replica.Name.Name, ":8095");
            replicas.Add(await forward.GetAsync("/metrics"));
        }

        Assert.Single(replicas, m => m.Contains("azwi_admissions_total{outcome=\"mutated\",reason=\"mutated\"} 1", StringComparison.Ordinal));

        // helm deletes the RoleBinding before the certificate Secret; with RBAC enforced the terminating webhook can then
        // no longer re-create the Secret it repairs. Without enforcement it does, and the Secret is left behind.
        var uninstall = await tools.RunAsync(Path.Combine(ClusterTools.Root, ".tools", "bin", "helm"), ["uninstall", Release, "-n", SystemNamespace, "--wait", "--timeout", "60s"], null);
        var remaining = await tools.KubectlAsync("get", "all,cm,secret,sa,role,rolebinding,pdb,endpoints", "-n", SystemNamespace, "-o", "name");
        Assert.True(uninstall.ExitCode == 0, $"{uninstall.Command}: {uninstall.Error}; left in {SystemNamespace}: {remaining}");
        await AssertChartRemovedAsync(world);
    }

    [PodNetworkFact(Timeout = Timeout)]
    public async Task HelmInstall_StrictMode_OnlyLabelledPodsSentToWebhook()
    {
        await using var world = await InstallWorld.StartAsync();
        var tools = world.Tools;
        await world.HelmInstallAsync("--set", "admissionMode=strict");
        await world.WaitForWebhookAsync();

        await tools.KubectlAsync("create", "namespace", AppNamespace);
        await tools.KubectlApplyAsync(world.ServiceAccountYaml(AppNamespace, labelled: true));
        await tools.KubectlApplyAsync(world.PodYaml(AppNamespace, "unlabelled", labelled: false));
        await tools.KubectlApplyAsync(world.PodYaml(AppNamespace, "quick-start", labelled: true));
        var log = await world.WaitForSecretAsync(AppNamespace, "quick-start");

        var unlabelled = world.Host.Kubernetes.Store.Get(ResourceCatalog.Pods, AppNamespace, "unlabelled").ToJsonObject();
        Assert.Contains(log, l => l.Contains(Expected, StringComparison.Ordinal));
        Assert.DoesNotContain("azure-identity-token", unlabelled["spec"]!.ToJsonString(), StringComparison.Ordinal);
        var configuration = world.Host.Kubernetes.Store.List(ResourceCatalog.MutatingWebhookConfigurations, null).Items.Single().ToJsonObject();
        Assert.Equal("Fail", configuration["webhooks"]![0]!["failurePolicy"]!.GetValue<string>());
    }

    /// <summary>Nothing the chart made is left: no object of the release, the certificate Secret, the webhook configuration, or a pod.</summary>
    private static async Task AssertChartRemovedAsync(InstallWorld world)
    {
        var store = world.Host.Kubernetes.Store;
        var left = await world.Tools.KubectlAsync("get", "all,cm,secret,sa,role,rolebinding,pdb", "-n", SystemNamespace, "-l", $"app.kubernetes.io/instance={Release}", "-o", "name");
        Assert.Equal(string.Empty, left.Trim());
        Assert.DoesNotContain(store.List(ResourceCatalog.Secrets, SystemNamespace).Items, s => s.Name.Name == "azure-wi-webhook-server-cert");
        Assert.DoesNotContain(store.List(ResourceCatalog.MutatingWebhookConfigurations, null).Items, o => o.Name.Name.StartsWith("azure-wi-webhook", StringComparison.Ordinal));
        // The pods go after their Deployment (garbage collection), each once the kubelet stopped it (graceful deletion).
        await Eventually.TrueAsync(() => store.List(ResourceCatalog.Pods, SystemNamespace).Items.Count == 0 && world.Host.Kubelet!.PodsIn(SystemNamespace) == 0,
            TimeSpan.FromSeconds(90), () => "pods of " + SystemNamespace + " are left:\n" + world.DescribePods());
    }
}
