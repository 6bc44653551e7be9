using AzureWorkloadIdentity.Sandbox.Kubelet;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// A Job whose pod uses <c>inject-proxy-sidecar</c> and reaches Key Vault through the redirected IMDS address (the
/// application has none of the federated-token variables). The sandbox's job controller (run by the sandbox host) creates the pod, the webhook
/// mutates it, the kubelet (<see cref="LocalPodRunner"/>) runs it with native-sidecar semantics and reports its
/// phase. As a native sidecar the proxy is stopped once the application has ended, so the Job completes; as a
/// regular container (<c>--proxy-sidecar-mode=container</c>, what clusters before 1.32 get) it keeps the pod running
/// and the Job never completes.
/// </summary>
// Not in parallel with the other pod-network scenario: under load the SDK's short IMDS probe timed out.
[Collection("pod network")]
public sealed class JobScenarioTests
{
    private const int Timeout = 300_000;
    private const long ApplicationUser = 1000;

    [PodNetworkFact(Timeout = Timeout)]
    public async Task Job_ProxyAsNativeSidecar_GetsTheSecretAndCompletes()
    {
        // The webhook passes its log level to the sidecar; at info the proxy logs the token it acquired.
        await using var e2e = await ExchangeEnvironment.StartAsync(webhookArguments: ["--log-level=info"]);
        var pod = await CreateJobAndWaitForPodAsync(e2e, "native");

        Assert.Equal(["azwi-proxy", "azwi-proxy-init"], pod.Spec.InitContainers.Select(c => c.Name));
        Assert.Equal("Always", pod.Spec.InitContainers[0].RestartPolicy);
        Assert.Equal(["app"], pod.Spec.Containers.Select(c => c.Name));

        await using var run = await StartPodAsync(e2e, pod);
        var phase = await run.WaitAsync(TimeSpan.FromSeconds(120), CancellationToken.None);

        var diagnostics = $"app: {string.Join('\n', run.Log("app"))}\nproxy: {string.Join('\n', run.Log("azwi-proxy"))}\n{run.Message}";
        Assert.True(phase == "Succeeded", diagnostics);
        Assert.Contains("successfully got secret, secret=Hello!", run.Log("app"));
        Assert.Contains(run.Log("azwi-proxy"), l => l.Contains("Token acquired from Entra ID for client", StringComparison.Ordinal));
        Assert.False(run.IsRunning("azwi-proxy"), "the native sidecar is stopped once the application has ended");
        var job = await WaitForJobConditionAsync(e2e.Client, "native", TimeSpan.FromSeconds(30));
        Assert.Equal("Complete", job.Status.Conditions.Single().Type);
        Assert.Equal(1, job.Status.Succeeded);
    }

    [PodNetworkFact(Timeout = Timeout)]
    public async Task Job_ProxyAsRegularContainer_GetsTheSecretButNeverCompletes()
    {
        await using var e2e = await ExchangeEnvironment.StartAsync(webhookArguments: ["--proxy-sidecar-mode=container", "--log-level=info"]);
        var pod = await CreateJobAndWaitForPodAsync(e2e, "container");

        Assert.Equal(["azwi-proxy-init"], pod.Spec.InitContainers.Select(c => c.Name));
        Assert.Equal(["azwi-proxy", "app"], pod.Spec.Containers.Select(c => c.Name));

        await using var run = await StartPodAsync(e2e, pod);
        Assert.True(await run.WaitForContainerAsync("app", TimeSpan.FromSeconds(120), CancellationToken.None), "the application did not end");
        var phase = await run.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        var diagnostics = $"app: {string.Join('\n', run.Log("app"))}\nproxy: {string.Join('\n', run.Log("azwi-proxy"))}";
        Assert.True(run.Log("app").Contains("successfully got secret, secret=Hello!"), diagnostics);
        Assert.Equal("Running", phase);
        Assert.True(run.IsRunning("azwi-proxy"), "the proxy, a regular container, keeps running after the application ended");
        var job = await e2e.Client.BatchV1.ReadNamespacedJobAsync("container", ExchangeEnvironment.Namespace);
        Assert.Null(job.Status?.Conditions);
        Assert.Equal(1, job.Status?.Active);
        var stored = await e2e.Client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, ExchangeEnvironment.Namespace);
        Assert.Equal("Running", stored.Status.Phase);
    }

    private static async Task<V1Pod> CreateJobAndWaitForPodAsync(ExchangeEnvironment e2e, string name)
    {
        await e2e.Client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1JobSpec
            {
                BackoffLimit = 0,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
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
                        RestartPolicy = "Never",
                        SecurityContext = new V1PodSecurityContext { RunAsUser = ApplicationUser },
                        Containers = [e2e.SampleContainer("app", "azure-identity-dotnet")],
                    },
                },
            },
        }, ExchangeEnvironment.Namespace);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var pods = await e2e.Client.CoreV1.ListNamespacedPodAsync(ExchangeEnvironment.Namespace, labelSelector: "job-name=" + name, cancellationToken: timeout.Token);
            if (pods.Items.Count > 0)
            {
                return Assert.Single(pods.Items);
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    private static async Task<LocalPodRun> StartPodAsync(ExchangeEnvironment e2e, V1Pod pod)
    {
        var local = await e2e.Kubelet.StartPodAsync(pod, e2e.ServicePorts, CancellationToken.None);
        return await new LocalPodRunner(e2e.Runner, e2e.Client).StartAsync(local, TimeSpan.FromSeconds(30), CancellationToken.None);
    }

    private static async Task<V1Job> WaitForJobConditionAsync(IKubernetes client, string name, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (true)
        {
            var job = await client.BatchV1.ReadNamespacedJobAsync(name, ExchangeEnvironment.Namespace, cancellationToken: timeout.Token);
            if (job.Status?.Conditions is { Count: > 0 })
            {
                return job;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
