using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Sandbox.Commands;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Quickstart;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.EndToEndTests.Install;

/// <summary>
/// A sandbox that runs its pods (as <c>serve</c>), with the Quick Start's cloud side made as its commands make it: a
/// Key Vault holding <c>my-secret</c> = <c>Hello!</c> and a user-assigned identity allowed to read it, federated with
/// the cluster's issuer for <c>quick-start/workload-identity-sa</c>.
/// </summary>
internal sealed class InstallWorld : IAsyncDisposable
{
    public const string ServiceAccount = "workload-identity-sa";

    /// <summary>The namespace the chart and the manifest install into.</summary>
    public const string SystemNamespace = "azure-workload-identity-system";

    /// <summary>What the sample prints once it read the secret.</summary>
    public const string Expected = "successfully got secret, secret=Hello!";

    private readonly string _home;

    private InstallWorld(SandboxHost host, Uri vault, string clientId, string home)
    {
        Host = host;
        Vault = vault;
        ClientId = clientId;
        _home = home;
        var envFile = Path.Combine(home, "sandbox.env");
        File.WriteAllLines(envFile, ServeEnvironment.ExportLines(host));
        Tools = new ClusterTools(host, home, envFile);
    }

    public SandboxHost Host { get; }

    public Uri Vault { get; }

    public string ClientId { get; }

    public ClusterTools Tools { get; }

    public static async Task<InstallWorld> StartAsync(string appNamespace = "quick-start")
    {
        var host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero, RunPods = true });
        try
        {
            var az = new AzureCliStandIn(host);
            await az.CreateResourceGroupAsync("rg", "westus2", CancellationToken.None);
            var vault = await az.CreateKeyVaultAsync("rg", "azwi-kv-install", "westus2", CancellationToken.None);
            await az.SetSecretAsync(vault, "my-secret", "Hello!", CancellationToken.None);
            var (clientId, principalId) = await az.CreateIdentityAsync("rg", "install-identity", "westus2", CancellationToken.None);
            await az.CreateIdentityFederatedCredentialAsync(
                "rg", "install-identity", "kubernetes-federated-credential", host.IssuerUrl,
                $"system:serviceaccount:{appNamespace}:{ServiceAccount}", CancellationToken.None);
            await az.SetPolicyAsync("rg", "azwi-kv-install", principalId, ["get"], CancellationToken.None);
            return new InstallWorld(host, vault, clientId, Directory.CreateTempSubdirectory("azwi-install-home-").FullName);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>The Quick Start's service account: the identity's client ID annotated, opted in by label when asked.</summary>
    public string ServiceAccountYaml(string ns, bool labelled) => $"""
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: {ServiceAccount}
          namespace: {ns}
          annotations:
            azure.workload.identity/client-id: "{ClientId}"
        {(labelled ? "  labels:\n    azure.workload.identity/use: \"true\"\n" : string.Empty)}
        """;

    /// <summary>The Quick Start's pod running the MSAL.NET sample once against the vault.</summary>
    public string PodYaml(string ns, string name, bool labelled) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          namespace: {ns}
        {(labelled ? "  labels:\n    azure.workload.identity/use: \"true\"\n" : string.Empty)}
        spec:
          serviceAccountName: {ServiceAccount}
          restartPolicy: Never
          containers:
            - name: oidc
              image: {WorkloadIdentityDefaults.ImageRegistry}/msal-net:latest
              env:
                - name: KEYVAULT_URL
                  value: "{Vault}"
                - name: SECRET_NAME
                  value: my-secret
                - name: SECRET_REFRESH_SECONDS
                  value: "0"
                - name: AZURE_DISABLE_INSTANCE_DISCOVERY
                  value: "true"
                - name: KEYVAULT_DISABLE_CHALLENGE_RESOURCE_VERIFICATION
                  value: "true"
          nodeSelector:
            kubernetes.io/os: linux
        """;

    /// <summary>The chart's release name (also in the manifest's labels).</summary>
    public const string Release = "workload-identity-webhook";

    /// <summary>
    /// <c>helm install</c> of the chart with the sandbox's tenant and custom cloud, as docs/quickstart.md types it,
    /// plus <paramref name="settings"/> (<c>--set</c> pairs).
    /// </summary>
    public Task<string> HelmInstallAsync(params string[] settings) => Tools.HelmAsync(
        [
            "install", Release, "charts/workload-identity-webhook", "-n", SystemNamespace, "--create-namespace",
            "--set", $"azureTenantID={Host.Directory.TenantId}", "--set", "azureEnvironment=AzureStackCloud",
            "--set-file", $"azureEnvironmentFile={Host.CloudConfigurationPath}", .. settings,
        ]);

    /// <summary>Both replicas Ready behind the Service and the caBundle injected: the webhook can be called.</summary>
    public Task WaitForWebhookAsync() => Eventually.TrueAsync(() =>
    {
        var configuration = Host.Kubernetes.Store.List(ResourceCatalog.MutatingWebhookConfigurations, null).Items.SingleOrDefault()?.ToJsonObject();
        if (string.IsNullOrEmpty(configuration?["webhooks"]?[0]?["clientConfig"]?["caBundle"]?.GetValue<string>()))
        {
            return false;
        }

        var endpoints = Host.Kubernetes.Store.List(ClusterServices.Endpoints, SystemNamespace).Items.SingleOrDefault(e => e.Name.Name == "azure-wi-webhook-webhook-service")?.ToJsonObject();
        return (endpoints?["subsets"]?[0]?["addresses"] as JsonArray)?.Count == 2;
    }, TimeSpan.FromMinutes(4), () => "the webhook did not get its caBundle and two ready endpoints:\n" + DescribePods());

    /// <summary>Waits for the sample in <paramref name="pod"/> to print the secret; returns its log.</summary>
    public async Task<IReadOnlyList<string>> WaitForSecretAsync(string ns, string pod)
    {
        IReadOnlyList<string> log = [];
        await Eventually.TrueAsync(
            () => (log = Host.Kubelet!.Run(ns, pod)?.Log("oidc") ?? []).Any(l => l.Contains(Expected, StringComparison.Ordinal)),
            TimeSpan.FromMinutes(3),
            () => $"pod {ns}/{pod} did not print the secret; its log: {string.Join(" | ", log)}\n{DescribePods()}");
        return log;
    }

    /// <summary>Every pod with its status, for failure messages.</summary>
    public string DescribePods() => string.Join("\n", Host.Kubernetes.Store.List(ResourceCatalog.Pods, null).Items
        .Select(p => p.Name + " " + p.ToJsonObject()["status"]?.ToJsonString()));

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }
}
