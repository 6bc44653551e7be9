using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubelet.Containers;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// The kubelet with OCI containers: the pod status it writes back (as a kubelet does), an image that is not built, a
/// container that fails, and the clean-up that leaves no container behind.
/// </summary>
public sealed class ContainerRuntimeTests
{
    private const int Timeout = 240_000;

    [PodmanFact(Timeout = Timeout)]
    public async Task RunPod_SampleSucceeds_StatusHasPhaseConditionsAndTerminatedContainer()
    {
        await using var e2e = await ExchangeEnvironment.StartAsync();
        var pod = await CreatePodAsync(e2e, "status-ok", e2e.SampleContainer("app", "msal-net"));

        await using var run = await StartAsync(e2e, pod);
        var phase = await run.WaitAsync(TimeSpan.FromSeconds(90), CancellationToken.None);

        Assert.True(phase == "Succeeded", string.Join('\n', run.Log("app")));
        Assert.Contains("successfully got secret, secret=Hello!", run.Log("app"));
        var status = (await e2e.Client.CoreV1.ReadNamespacedPodAsync("status-ok", ExchangeEnvironment.Namespace)).Status;
        Assert.Equal("Succeeded", status.Phase);
        // The pod's own address from the sandbox's pod CIDR (its network namespace's eth0).
        Assert.True(System.Net.IPAddress.TryParse(status.PodIP, out var podIp) && !System.Net.IPAddress.IsLoopback(podIp), $"podIP {status.PodIP}");
        Assert.Equal(["PodScheduled", "Initialized", "ContainersReady", "Ready"], status.Conditions.Select(c => c.Type));
        Assert.Equal("True", status.Conditions.Single(c => c.Type == "Initialized").Status);
        Assert.Equal("False", status.Conditions.Single(c => c.Type == "Ready").Status);
        var app = Assert.Single(status.ContainerStatuses);
        Assert.Equal("app", app.Name);
        Assert.Equal(0, app.State.Terminated.ExitCode);
        Assert.Equal("Completed", app.State.Terminated.Reason);
    }

    [PodmanFact(Timeout = Timeout)]
    public async Task RunPod_ContainerExitsNonZero_PodFailedWithExitCodeAndLog()
    {
        await using var e2e = await ExchangeEnvironment.StartAsync();
        var container = e2e.SampleContainer("app", "msal-net");
        container.Env.Single(e => e.Name == "SECRET_NAME").Value = "no-such-secret";
        var pod = await CreatePodAsync(e2e, "status-failed", container);

        await using var run = await StartAsync(e2e, pod);
        var phase = await run.WaitAsync(TimeSpan.FromSeconds(90), CancellationToken.None);

        Assert.Equal("Failed", phase);
        Assert.Contains(run.Log("app"), l => l.Contains("no-such-secret", StringComparison.Ordinal));
        var status = (await e2e.Client.CoreV1.ReadNamespacedPodAsync("status-failed", ExchangeEnvironment.Namespace)).Status;
        Assert.Equal("Failed", status.Phase);
        Assert.Contains("app exited with", status.Message, StringComparison.Ordinal);
        var terminated = Assert.Single(status.ContainerStatuses).State.Terminated;
        Assert.NotEqual(0, terminated.ExitCode);
        Assert.Equal("Error", terminated.Reason);
    }

    [PodmanFact(Timeout = Timeout)]
    public async Task RunPod_ImageNotBuilt_PodPendingWithErrImageNeverPullNamingImageAndBuildCommand()
    {
        await using var e2e = await ExchangeEnvironment.StartAsync();
        var container = e2e.SampleContainer("app", "msal-net");
        container.Image = "ghcr.io/azure-workload-identity-dotnet/never-built:latest";
        var pod = await CreatePodAsync(e2e, "not-built", container);

        var failure = await Assert.ThrowsAsync<ContainerStartException>(() => StartAsync(e2e, pod));

        Assert.Equal("ErrImageNeverPull", failure.Reason);
        var status = (await e2e.Client.CoreV1.ReadNamespacedPodAsync("not-built", ExchangeEnvironment.Namespace)).Status;
        Assert.Equal("Pending", status.Phase);
        var waiting = Assert.Single(status.ContainerStatuses).State.Waiting;
        Assert.Equal("ErrImageNeverPull", waiting.Reason);
        Assert.Contains("ghcr.io/azure-workload-identity-dotnet/never-built:latest", waiting.Message, StringComparison.Ordinal);
        Assert.Contains("bash scripts/build-images.sh", waiting.Message, StringComparison.Ordinal);
    }

    [PodmanFact(Timeout = Timeout)]
    public async Task DisposeRunner_ContainerStillRunning_NoContainerLeft()
    {
        var e2e = await ExchangeEnvironment.StartAsync();
        var runner = Assert.IsType<PodmanContainerRunner>(e2e.Runner);
        try
        {
            // A sample that keeps reading the secret never ends by itself, as a test that fails half-way leaves it.
            var container = e2e.SampleContainer("app", "msal-net");
            container.Env.Single(e => e.Name == "SECRET_REFRESH_SECONDS").Value = "3600";
            var pod = await CreatePodAsync(e2e, "left-running", container);
            var run = await StartAsync(e2e, pod);
            Assert.True(run.IsRunning("app"));
            Assert.Equal([runner.ContainerName(new LocalPod(pod, string.Empty, new Dictionary<string, string>()), "app")], await runner.ListContainersAsync(CancellationToken.None));
        }
        finally
        {
            await e2e.DisposeAsync();
        }

        Assert.Empty(await runner.ListContainersAsync(CancellationToken.None));
    }

    private static async Task<V1Pod> CreatePodAsync(ExchangeEnvironment e2e, string name, V1Container container) =>
        await e2e.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" } },
            Spec = new V1PodSpec { ServiceAccountName = ExchangeEnvironment.ServiceAccount, RestartPolicy = "Never", Containers = [container] },
        }, ExchangeEnvironment.Namespace);

    private static async Task<LocalPodRun> StartAsync(ExchangeEnvironment e2e, V1Pod pod)
    {
        var local = await e2e.Kubelet.StartPodAsync(pod, e2e.ServicePorts, CancellationToken.None);
        return await new LocalPodRunner(e2e.Runner, e2e.Client).StartAsync(local, TimeSpan.FromSeconds(30), CancellationToken.None);
    }
}

/// <summary>A fact that is skipped, with the reason, where the kubelet cannot run OCI containers (no podman, not root).</summary>
public sealed class PodmanFactAttribute : FactAttribute
{
    public PodmanFactAttribute()
    {
        if (!ContainerRuntimeSelector.UseContainers(out var note))
        {
            Skip = note;
        }
    }
}
