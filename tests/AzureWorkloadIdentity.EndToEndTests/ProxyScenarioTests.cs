using AzureWorkloadIdentity.Sandbox.Kubelet;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// The original suite's proxy scenario, made stricter: a pod annotated <c>inject-proxy-sidecar</c> whose application
/// container is skipped by the webhook (so it has none of the federated-token variables) and runs
/// <c>DefaultAzureCredential</c> as an ordinary user. The pod gets its own network namespace; the kubelet runs the
/// injected <c>azwi-proxy-init</c> (init/init-iptables.sh, as root), then the <c>azwi-proxy</c> sidecar (the built
/// proxy, as UID 1501) with its postStart <c>--probe</c>, then the application. The SDK's header-less probe and token
/// request go to 169.254.169.254:80, the rules redirect them to the proxy, the proxy exchanges the projected token
/// with Entra ID, and the application reads the secret.
/// </summary>
// Not in parallel with the other pod-network scenario: under load the SDK's short IMDS probe timed out.
[Collection("pod network")]
public sealed class ProxyScenarioTests
{
    private const int Timeout = 240_000;
    private const long ApplicationUser = 1000;

    [PodNetworkFact(Timeout = Timeout)]
    public async Task ContainerWithoutFederatedVariables_GetsTheSecretThroughTheRedirectedProxy()
    {
        // The webhook passes its log level to the sidecar; at info the proxy logs the token it acquired.
        await using var e2e = await ExchangeEnvironment.StartAsync(webhookArguments: ["--log-level=info"]);
        var application = e2e.SampleContainer("app", "azure-identity-dotnet");
        var pod = await e2e.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "proxy",
                Labels = new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" },
                Annotations = new Dictionary<string, string>
                {
                    ["azure.workload.identity/inject-proxy-sidecar"] = "true",
                    ["azure.workload.identity/skip-containers"] = "app",
                },
            },
            Spec = new V1PodSpec
            {
                ServiceAccountName = ExchangeEnvironment.ServiceAccount,
                SecurityContext = new V1PodSecurityContext { RunAsUser = ApplicationUser },
                Containers = [application],
            },
        }, ExchangeEnvironment.Namespace);

        // The sandbox reports Kubernetes 1.33, so the webhook (auto mode) made the proxy a native sidecar.
        Assert.Equal(["azwi-proxy", "azwi-proxy-init"], pod.Spec.InitContainers.Select(c => c.Name));
        Assert.Equal("Always", pod.Spec.InitContainers[0].RestartPolicy);
        Assert.Equal(["app"], pod.Spec.Containers.Select(c => c.Name));
        Assert.DoesNotContain(pod.Spec.Containers[0].Env, e => e.Name.StartsWith("AZURE_FEDERATED", StringComparison.Ordinal) || e.Name == "AZURE_CLIENT_ID");
        Assert.Contains(pod.Spec.InitContainers[0].Env, e => e.Name == "AZURE_FEDERATED_TOKEN_FILE");

        var local = await e2e.Kubelet.StartPodAsync(pod, e2e.ServicePorts, CancellationToken.None);
        var init = await e2e.Runner.RunAsync(local, "azwi-proxy-init", TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(init.ExitCode == 0, "azwi-proxy-init: " + string.Join('\n', init.Log));
        await using var proxy = await e2e.Runner.StartAsync(local, "azwi-proxy", CancellationToken.None);
        var probe = await e2e.Runner.RunPostStartAsync(local, "azwi-proxy", TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.True(probe.ExitCode == 0, $"postStart --probe: {string.Join('\n', probe.Log)}\nproxy: {string.Join('\n', proxy.Log)}");

        var run = await e2e.Runner.RunAsync(local, "app", TimeSpan.FromSeconds(90), CancellationToken.None);

        Assert.True(run.ExitCode == 0, $"app: {string.Join('\n', run.Log)}\nproxy: {string.Join('\n', proxy.Log)}\n{e2e.Log}");
        Assert.Contains("successfully got secret, secret=Hello!", run.Log);
        // The SDK's probe came without the Metadata header and was refused as IMDS refuses it; the real request
        // that followed was served. The application knows no other address than 169.254.169.254.
        Assert.Contains(proxy.Log, l => l.Contains("Required metadata header not specified", StringComparison.Ordinal));
        Assert.Contains(proxy.Log, l => l.Contains("Token acquired from Entra ID for client", StringComparison.Ordinal));
    }
}

/// <summary>A fact that is skipped, with the reason, where the kubelet cannot give a pod its own network (not Linux, not root).</summary>
public sealed class PodNetworkFactAttribute : FactAttribute
{
    public PodNetworkFactAttribute()
    {
        if (PodNetwork.UnsupportedReason is { } reason)
        {
            Skip = reason;
        }
    }
}
