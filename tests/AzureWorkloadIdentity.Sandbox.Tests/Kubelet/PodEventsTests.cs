using System.Net;
using System.Net.Sockets;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.TestUtilities;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet;

/// <summary>
/// The Events the kubelet records for a pod's life, read back through the API as any client reads them: the
/// containers' fieldPaths, probe failures with why (<c>Unhealthy</c>) and the kill that follows (<c>Killing</c>),
/// the sync loop's <c>Killing</c> when a pod is deleted, and nothing at all without an Events sink.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PodEventsTests() : ShellPodTests("pod-events-test-")
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task RunPod_InitContainerThenContainer_EachEventNamesItsContainer()
    {
        var pod = await CreateAsync("staged", "Never", Container("app", "sleep 30"), init: Container("prep", "echo prepared"));
        await RunAsync(pod, Options());

        var events = await UntilAsync("staged", list => list.Any(e => e.Reason == "Started" && e.InvolvedObject.FieldPath == "spec.containers{app}"));

        Assert.Single(events, e => e.Reason == "Scheduled");
        Assert.Equal(
            ["Created", "Pulled", "Started"],
            events.Where(e => e.InvolvedObject.FieldPath == "spec.initContainers{prep}").Select(e => e.Reason).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["Created", "Pulled", "Started"],
            events.Where(e => e.InvolvedObject.FieldPath == "spec.containers{app}").Select(e => e.Reason).Order(StringComparer.Ordinal));
        Assert.All(events, e => Assert.Equal(pod.Metadata.Uid, e.InvolvedObject.Uid));
        Assert.All(events.Where(e => e.Reason != "Scheduled"), e => Assert.Equal(("kubelet", "node-7"), (e.Source.Component, e.Source.Host)));
        Assert.Equal("Successfully assigned demo/staged to node-7", events.Single(e => e.Reason == "Scheduled").Message);
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_LivenessProbeFails_UnhealthyWithTheOutputThenKilling()
    {
        var container = Container("app", "sleep 30");
        container.LivenessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["/bin/sh", "-c", "echo not alive; exit 1"] }, PeriodSeconds = 1, FailureThreshold = 2 };
        await RunAsync(await CreateAsync("liveness", "Always", container), Options());

        var events = await UntilAsync("liveness", list => list.Any(e => e.Reason == "Killing"));

        var unhealthy = Assert.Single(events, e => e.Reason == "Unhealthy");
        Assert.Equal(("Warning", "Liveness probe failed: not alive"), (unhealthy.Type, unhealthy.Message));
        Assert.True(unhealthy.Count >= 2, $"the two failures before the kill count on one Event, got {unhealthy.Count}");
        var killing = Assert.Single(events, e => e.Reason == "Killing");
        Assert.Equal(("Normal", "Container app failed liveness probe, will be restarted"), (killing.Type, killing.Message));
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_ReadinessProbePortClosed_UnhealthySaysWhatWasDialled()
    {
        var container = Container("app", "sleep 30");
        var port = ClosedPort();
        container.ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, PeriodSeconds = 1 };
        await RunAsync(await CreateAsync("not-ready", "Always", container), Options());

        var events = await UntilAsync("not-ready", list => list.Any(e => e.Reason == "Unhealthy"));

        var unhealthy = Assert.Single(events, e => e.Reason == "Unhealthy");
        Assert.StartsWith($"Readiness probe failed: dial tcp ", unhealthy.Message, StringComparison.Ordinal);
        Assert.Contains($":{port}: ", unhealthy.Message, StringComparison.Ordinal);
        Assert.Equal("spec.containers{app}", unhealthy.InvolvedObject.FieldPath);
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_WithoutEventsSink_RecordsNothing()
    {
        var run = await RunAsync(await CreateAsync("quiet", "Never", Container("app", "echo done")), new KubeletOptions());

        Assert.Equal("Succeeded", await run.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Empty((await Client.CoreV1.ListNamespacedEventAsync("demo")).Items);
    }

    [Fact(Timeout = Timeout)]
    public async Task SyncLoop_PodDeleted_KillingForItsContainer()
    {
        var kubelet = new LocalKubelet(Client, Root);
        DisposeAfterwards(kubelet);
        DisposeAfterwards(new KubeletSyncLoop(Client, kubelet, Runner, () => [], Options()));
        await CreateAsync("doomed", "Always", Container("app", "sleep 60"));
        await UntilAsync("doomed", list => list.Any(e => e.Reason == "Started"));

        await Client.CoreV1.DeleteNamespacedPodAsync("doomed", "demo");

        var events = await UntilAsync("doomed", list => list.Any(e => e.Reason == "Killing"));
        var killing = Assert.Single(events, e => e.Reason == "Killing");
        Assert.Equal("Stopping container app", killing.Message);
        Assert.Equal("spec.containers{app}", killing.InvolvedObject.FieldPath);
    }

    private KubeletOptions Options() => new()
    {
        Events = Server.Events,
        NodeName = "node-7",
        RestartBackoffBase = TimeSpan.FromMilliseconds(50),
        RestartBackoffMax = TimeSpan.FromMilliseconds(200),
    };

    private static V1Container Container(string name, string script) => new() { Name = name, Image = Shell, Args = [script] };

    private Task<V1Pod> CreateAsync(string name, string restartPolicy, V1Container container, V1Container? init = null) =>
        Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec { RestartPolicy = restartPolicy, Containers = [container], InitContainers = init is null ? null : [init] },
        }, "demo");

    private async Task<LocalPodRun> RunAsync(V1Pod pod, KubeletOptions options)
    {
        var kubelet = new LocalKubelet(Client, Root);
        DisposeAfterwards(kubelet);
        var local = await kubelet.StartPodAsync(pod, CancellationToken.None);
        var run = await new LocalPodRunner(Runner, Client, options).StartAsync(local, TimeSpan.FromSeconds(10), CancellationToken.None);
        DisposeAfterwards(run);
        return run;
    }

    /// <summary>The pod's Events as <c>kubectl describe</c> lists them: by an involvedObject field selector.</summary>
    private Task<IList<Corev1Event>> UntilAsync(string pod, Func<IList<Corev1Event>, bool> done) =>
        Eventually.UntilAsync(
            async () => (await Client.CoreV1.ListNamespacedEventAsync("demo", fieldSelector: $"involvedObject.name={pod},involvedObject.namespace=demo")).Items,
            done,
            $"the Events of pod {pod}");

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
