using System.Diagnostics;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Hosting;
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
    private const string Release = "workload-identity-webhook";
    private const string SystemNamespace = "azure-workload-identity-system";
    private const string AppNamespace = "quick-start";
    private const string Expected = "successfully got secret, secret=Hello!";

    [PodNetworkFact(Timeout = Timeout)]
    public async Task HelmInstall_OptInMode_QuickStartPodMutatedThroughServiceAndUninstallRemovesAll()
    {
        await using var world = await InstallWorld.StartAsync();
        var tools = world.Tools;
        var watch = Stopwatch.StartNew();
        await tools.HelmAsync(
            "install", Release, "charts/workload-identity-webhook", "-n", SystemNamespace, "--create-namespace",
            "--set", $"azureTenantID={world.Host.Directory.TenantId}", "--set", "azureEnvironment=AzureStackCloud",
            "--set-file", $"azureEnvironmentFile={world.Host.CloudConfigurationPath}");

        await WaitForWebhookAsync(world.Host);
        var ready = watch.Elapsed;
        await tools.KubectlAsync("create", "namespace", AppNamespace);
        await tools.KubectlApplyAsync(world.ServiceAccountYaml(AppNamespace, labelled: true));
        await tools.KubectlApplyAsync(world.PodYaml(AppNamespace, "quick-start", labelled: true));
        var log = await WaitForLogAsync(world, AppNamespace, "quick-start");
        output.WriteLine($"helm install -> webhook Ready {ready.TotalSeconds:0.0} s, -> mutated pod printed the secret {watch.Elapsed.TotalSeconds:0.0} s");

        var pod = world.Host.Kubernetes.Store.Get(ResourceCatalog.Pods, AppNamespace, "quick-start").ToJsonObject();
        Assert.Contains(log, l => l.Contains(Expected, StringComparison.Ordinal));
        Assert.Contains("azure-identity-token", pod["spec"]!["volumes"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("AZURE_FEDERATED_TOKEN_FILE", pod["spec"]!["containers"]![0]!["env"]!.ToJsonString(), StringComparison.Ordinal);

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
        await tools.HelmAsync(
            "install", Release, "charts/workload-identity-webhook", "-n", SystemNamespace, "--create-namespace",
            "--set", $"azureTenantID={world.Host.Directory.TenantId}", "--set", "admissionMode=strict", "--set", "azureEnvironment=AzureStackCloud",
            "--set-file", $"azureEnvironmentFile={world.Host.CloudConfigurationPath}");
        await WaitForWebhookAsync(world.Host);

        await tools.KubectlAsync("create", "namespace", AppNamespace);
        await tools.KubectlApplyAsync(world.ServiceAccountYaml(AppNamespace, labelled: true));
        await tools.KubectlApplyAsync(world.PodYaml(AppNamespace, "unlabelled", labelled: false));
        await tools.KubectlApplyAsync(world.PodYaml(AppNamespace, "quick-start", labelled: true));
        var log = await WaitForLogAsync(world, AppNamespace, "quick-start");

        var unlabelled = world.Host.Kubernetes.Store.Get(ResourceCatalog.Pods, AppNamespace, "unlabelled").ToJsonObject();
        Assert.Contains(log, l => l.Contains(Expected, StringComparison.Ordinal));
        Assert.DoesNotContain("azure-identity-token", unlabelled["spec"]!.ToJsonString(), StringComparison.Ordinal);
        var configuration = world.Host.Kubernetes.Store.List(ResourceCatalog.MutatingWebhookConfigurations, null).Items.Single().ToJsonObject();
        Assert.Equal("Fail", configuration["webhooks"]![0]!["failurePolicy"]!.GetValue<string>());
    }

    /// <summary>Both replicas Ready behind the Service and the caBundle injected: the webhook can be called.</summary>
    private static Task WaitForWebhookAsync(SandboxHost host) => Eventually.TrueAsync(() =>
    {
        var configuration = host.Kubernetes.Store.List(ResourceCatalog.MutatingWebhookConfigurations, null).Items.SingleOrDefault()?.ToJsonObject();
        if (string.IsNullOrEmpty(configuration?["webhooks"]?[0]?["clientConfig"]?["caBundle"]?.GetValue<string>()))
        {
            return false;
        }

        var endpoints = host.Kubernetes.Store.List(ClusterServices.Endpoints, SystemNamespace).Items.SingleOrDefault(e => e.Name.Name == "azure-wi-webhook-webhook-service")?.ToJsonObject();
        return (endpoints?["subsets"]?[0]?["addresses"] as JsonArray)?.Count == 2;
    }, TimeSpan.FromMinutes(4), () => "the webhook did not get its caBundle and two ready endpoints:\n" + DescribePods(host)());

    /// <summary>Nothing the chart made is left: no object of the release, the certificate Secret, the webhook configuration, or a pod.</summary>
    private static async Task AssertChartRemovedAsync(InstallWorld world)
    {
        var store = world.Host.Kubernetes.Store;
        var left = await world.Tools.KubectlAsync("get", "all,cm,secret,sa,role,rolebinding,pdb", "-n", SystemNamespace, "-l", $"app.kubernetes.io/instance={Release}", "-o", "name");
        Assert.Equal(string.Empty, left.Trim());
        Assert.DoesNotContain(store.List(ResourceCatalog.Secrets, SystemNamespace).Items, s => s.Name.Name == "azure-wi-webhook-server-cert");
        Assert.DoesNotContain(store.List(ResourceCatalog.MutatingWebhookConfigurations, null).Items, o => o.Name.Name.StartsWith("azure-wi-webhook", StringComparison.Ordinal));
        Assert.Empty(store.List(ResourceCatalog.Pods, SystemNamespace).Items);
        await Eventually.TrueAsync(() => world.Host.Kubelet!.PodsIn(SystemNamespace) == 0, TimeSpan.FromSeconds(60),
            () => "the kubelet still runs pods of " + SystemNamespace);
    }

    private static Func<string> DescribePods(SandboxHost host) => () => string.Join("\n", host.Kubernetes.Store.List(ResourceCatalog.Pods, null).Items
        .Select(p => p.Name + " " + p.ToJsonObject()["status"]?.ToJsonString()));

    private static async Task<IReadOnlyList<string>> WaitForLogAsync(InstallWorld world, string ns, string pod)
    {
        IReadOnlyList<string> log = [];
        await Eventually.TrueAsync(
            () => (log = world.Host.Kubelet!.Run(ns, pod)?.Log("oidc") ?? []).Any(l => l.Contains(Expected, StringComparison.Ordinal)),
            TimeSpan.FromMinutes(3),
            () => $"pod {ns}/{pod} did not print the secret; its log: {string.Join(" | ", log)}\n{DescribePods(world.Host)()}");
        return log;
    }
}
