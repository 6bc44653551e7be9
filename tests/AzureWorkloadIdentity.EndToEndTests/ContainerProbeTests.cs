using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubelet.Containers;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// Probes and restarts with real OCI containers in the pod's own network namespace: an httpGet readiness probe that
/// reaches the container's server on the pod's loopback, an exec liveness probe run with <c>podman exec</c>, and the
/// restart that follows its failure (a fresh container, so it is not ready until its server says so again).
/// </summary>
[Collection("pod network")]
public sealed class ContainerProbeTests
{
    private const int Timeout = 120_000;
    private const string NodeImage = "localhost/azwi-stand-in/node:local";

    // podman exec alone can take over the default 1 s under load, hence the exec probe's longer timeout.
    // Answers 200 once /tmp/ready exists, 503 before, on the pod's 127.0.0.1:8080.
    private const string Server =
        "require('http').createServer((q, s) => { s.statusCode = require('fs').existsSync('/tmp/ready') ? 200 : 503; s.end(); }).listen(8080, '127.0.0.1')";

    [PodmanFact(Timeout = Timeout)]
    public async Task RunPod_HttpGetReadinessAndExecLiveness_ReadyThenKilledAndRestarted()
    {
        await using var server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions());
        using var client = server.CreateClient();
        var root = Path.Combine(Path.GetTempPath(), "probe-e2e-" + Guid.NewGuid().ToString("N"));
        await using var runner = new PodmanContainerRunner();
        await using var kubelet = new LocalKubelet(client, root);
        var pod = await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "probed" },
            Spec = new V1PodSpec
            {
                AutomountServiceAccountToken = false, // this test's API server has no token signer
                RestartPolicy = "Always",
                Containers =
                [
                    new V1Container
                    {
                        Name = "web",
                        Image = NodeImage,
                        Command = ["node", "-e", Server],
                        ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/", Port = "8080" }, PeriodSeconds = 1, FailureThreshold = 1 },
                        LivenessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["sh", "-c", "test ! -f /tmp/dead"] }, PeriodSeconds = 1, FailureThreshold = 1, TimeoutSeconds = 20 },
                    },
                ],
            },
        }, "default");
        var local = await kubelet.StartPodAsync(pod, [], CancellationToken.None);
        await using var run = await new LocalPodRunner(runner, client, new KubeletOptions { RestartBackoffBase = TimeSpan.FromMilliseconds(100) })
            .StartAsync(local, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.False(run.IsReady("web"));
        await ExecAsync(runner, local, run, "touch /tmp/ready");
        var ready = await UntilAsync(client, s => s.Conditions.Any(c => c.Type == "Ready" && c.Status == "True"), "Ready through the httpGet probe");
        Assert.True(Assert.Single(ready.ContainerStatuses).Ready);

        await ExecAsync(runner, local, run, "touch /tmp/dead");
        var restarted = await UntilAsync(client, s => s.ContainerStatuses?.SingleOrDefault()?.RestartCount >= 1 && s.ContainerStatuses[0].State.Running is not null, "a restart after the liveness probe failed");
        Assert.Equal(137, restarted.ContainerStatuses[0].LastState.Terminated.ExitCode);
        Assert.False(restarted.ContainerStatuses[0].Ready);
        Assert.Equal("False", restarted.Conditions.Single(c => c.Type == "ContainersReady").Status);
    }

    private static async Task ExecAsync(PodmanContainerRunner runner, LocalPod pod, LocalPodRun run, string script)
    {
        var result = await runner.ExecAsync(pod, "web", ["sh", "-c", script], TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(result.ExitCode == 0, string.Join('\n', [.. result.Log, "container log:", .. run.Log("web"), $"last exit: {run.Ended("web")?.ExitCode}"]));
    }

    private static async Task<V1PodStatus> UntilAsync(IKubernetes client, Func<V1PodStatus, bool> done, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var status = (await client.CoreV1.ReadNamespacedPodAsync("probed", "default")).Status;
            if (status is not null && done(status))
            {
                return status;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"{what}: not within 60 s; last status {KubernetesJson.Serialize(status)}");
            await Task.Delay(200);
        }
    }
}
