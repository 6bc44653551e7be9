using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Quickstart;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// The original suite's token-exchange scenario: a pod with two containers, both injected by the webhook, both read
/// the secret through the exchange (one with MSAL.NET, one with Azure.Identity).
/// </summary>
public sealed class TokenExchangeTests
{
    private const int Timeout = 180_000;

    [Fact(Timeout = Timeout)]
    public async Task PodWithTwoContainers_BothGetTheSecret()
    {
        using var log = new StringWriter();
        await using var host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero });
        using var kubectl = host.Kubernetes.CreateClient();
        var az = new AzureCliStandIn(host);
        var azwi = new AzwiInvoker(host, log);
        await az.CreateResourceGroupAsync("rg", "westus2", CancellationToken.None);
        var vault = await az.CreateKeyVaultAsync("rg", "azwi-kv-e2e", "westus2", CancellationToken.None);
        await az.SetSecretAsync(vault, "my-secret", "Hello!", CancellationToken.None);
        string[] account = ["--aad-application-name", "e2e-app", "--service-account-namespace", "e2e", "--service-account-name", "workload"];
        await azwi.RunAsync(["serviceaccount", "create", .. account, "--service-account-issuer-url", host.IssuerUrl, "--skip-phases", "role-assignment"], CancellationToken.None);
        await az.SetPolicyAsync("rg", "azwi-kv-e2e", az.FindServicePrincipal("e2e-app").ObjectId, ["get"], CancellationToken.None);
        await using var webhook = await LocalWebhook.InstallAsync(host, kubectl, CancellationToken.None);

        var pod = await kubectl.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "two", Labels = new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" } },
            Spec = new V1PodSpec
            {
                ServiceAccountName = "workload",
                Containers = [Container("msal", "msal-net", vault), Container("identity", "azure-identity-dotnet", vault)],
            },
        }, "e2e");
        await using var kubelet = new LocalKubelet(kubectl, Path.Combine(host.WorkDirectory, "pods"));
        var local = await kubelet.StartPodAsync(pod, CancellationToken.None);
        var runner = new LocalContainerRunner(
            [
                new LocalImage("example.test/msal-net", "dotnet", [SampleLocator.Find("msal-net")]),
                new LocalImage("example.test/azure-identity-dotnet", "dotnet", [SampleLocator.Find("azure-identity-dotnet")]),
            ],
            new Dictionary<string, string> { ["SSL_CERT_FILE"] = host.CaBundlePath });

        foreach (var container in new[] { "msal", "identity" })
        {
            var run = await runner.RunAsync(local, container, TimeSpan.FromSeconds(60), CancellationToken.None);
            Assert.True(run.ExitCode == 0, $"{container}: {string.Join('\n', run.Log)}\n{log}");
            Assert.Contains("successfully got secret, secret=Hello!", run.Log);
        }
    }

    private static V1Container Container(string name, string sample, Uri vault) => new()
    {
        Name = name,
        Image = $"example.test/{sample}:v1",
        Env =
        [
            new V1EnvVar { Name = "KEYVAULT_URL", Value = vault.ToString() },
            new V1EnvVar { Name = "SECRET_NAME", Value = "my-secret" },
            new V1EnvVar { Name = "SECRET_REFRESH_SECONDS", Value = "0" },
            new V1EnvVar { Name = "AZURE_DISABLE_INSTANCE_DISCOVERY", Value = "true" },
            new V1EnvVar { Name = "KEYVAULT_DISABLE_CHALLENGE_RESOURCE_VERIFICATION", Value = "true" },
        ],
    };
}
