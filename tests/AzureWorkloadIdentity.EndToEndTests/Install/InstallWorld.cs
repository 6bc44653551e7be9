using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Quickstart;

namespace AzureWorkloadIdentity.EndToEndTests.Install;

/// <summary>
/// A sandbox that runs its pods (as <c>serve</c>), with the Quick Start's cloud side made as its commands make it: a
/// Key Vault holding <c>my-secret</c> = <c>Hello!</c> and a user-assigned identity allowed to read it, federated with
/// the cluster's issuer for <c>quick-start/workload-identity-sa</c>.
/// </summary>
internal sealed class InstallWorld : IAsyncDisposable
{
    public const string ServiceAccount = "workload-identity-sa";

    private readonly string _home;

    private InstallWorld(SandboxHost host, Uri vault, string clientId, string home)
    {
        Host = host;
        Vault = vault;
        ClientId = clientId;
        _home = home;
        Tools = new ClusterTools(host, home);
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

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }
}
