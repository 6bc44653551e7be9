using System.Net;
using System.Net.Sockets;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.TestUtilities;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet;

/// <summary>
/// The kubelet's restarts and probes, with containers as local processes (<c>/bin/sh</c>) and the sandbox's API
/// server receiving the pod status: restart policies with the crash-loop back-off (shortened), liveness kills, and
/// readiness through exec, tcpSocket and httpGet probes driving the Ready conditions.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PodLifecycleTests() : ShellPodTests("lifecycle-test-")
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task RunPod_OnFailureContainerFailsTwice_RestartedUntilItSucceeds()
    {
        var script = $"f={Root}/count; n=$(( $(cat $f 2>/dev/null || echo 0) + 1 )); echo $n > $f; echo run $n; [ $n -ge 3 ]";
        var run = await StartAsync("on-failure", "OnFailure", Container(script));

        Assert.Equal("Succeeded", await run.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal(2, run.RestartCount("app"));
        Assert.Contains("run 3", run.Ended("app")!.Log);
        var status = Assert.Single((await ReadAsync("on-failure")).ContainerStatuses);
        Assert.Equal(2, status.RestartCount);
        Assert.Equal(0, status.State.Terminated.ExitCode);
        Assert.Equal(1, status.LastState.Terminated.ExitCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_NeverContainerFails_NotRestartedAndPodFailed()
    {
        var run = await StartAsync("never", "Never", Container("exit 4"));

        Assert.Equal("Failed", await run.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal(0, run.RestartCount("app"));
        var status = Assert.Single((await ReadAsync("never")).ContainerStatuses);
        Assert.Equal(4, status.State.Terminated.ExitCode);
        Assert.Equal(0, status.RestartCount);
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_ContainerEndsWhileAStatusWriteIsSlow_FinalPhaseIsTheLastWrite()
    {
        // The API server takes its time over every status write that still says Running, as a busy one does; a write
        // the kubelet gave up on still arrives there. The phase written last must be the pod's final one.
        using var slow = new SlowRunningStatusWrites(TimeSpan.FromMilliseconds(600));
        using var client = new k8s.Kubernetes(Server.CreateClientConfiguration(), slow);
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "slow-status" },
            Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [Container("sleep 1; exit 3")] },
        }, "demo");
        await using var kubelet = new LocalKubelet(client, Root);
        var local = await kubelet.StartPodAsync(pod, CancellationToken.None);
        await using var run = await new LocalPodRunner(Runner, client).StartAsync(local, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal("Failed", await run.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
        await slow.DrainedAsync();

        Assert.True(slow.Delayed > 0, "no status write said Running");
        var status = await ReadAsync("slow-status");
        Assert.Equal("Failed", status.Phase);
        Assert.Equal(3, Assert.Single(status.ContainerStatuses).State.Terminated.ExitCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_AlwaysContainerKeepsFailing_WaitsInCrashLoopBackOff()
    {
        var run = await StartAsync("crash-loop", "Always", Container("echo crashing; exit 1"), backoff: TimeSpan.FromSeconds(3));

        var status = await Eventually.UntilAsync(
            async () => Assert.Single((await ReadAsync("crash-loop")).ContainerStatuses),
            s => s.State.Waiting?.Reason == "CrashLoopBackOff" && s.RestartCount >= 1,
            "the container waiting in CrashLoopBackOff after a restart");

        Assert.Contains("back-off 3s restarting failed container=app", status.State.Waiting.Message, StringComparison.Ordinal);
        Assert.Equal(1, status.LastState.Terminated.ExitCode);
        Assert.Equal("Running", await run.WaitAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None));
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_LivenessProbeFails_ContainerKilledAndRestarted()
    {
        var container = Container("echo started; sleep 30");
        container.LivenessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["/bin/sh", "-c", "exit 1"] }, PeriodSeconds = 1, FailureThreshold = 2 };
        var run = await StartAsync("liveness", "Always", container);

        await Eventually.UntilAsync(() => Task.FromResult(run.RestartCount("app")), c => c >= 1, "a restart after the liveness probe failed");

        var killed = run.Ended("app")!;
        Assert.Equal(137, killed.ExitCode);
        Assert.Contains(killed.Log, l => l.Contains("failed its liveness probe", StringComparison.Ordinal));
        var status = Assert.Single((await ReadAsync("liveness")).ContainerStatuses);
        Assert.Equal(137, status.LastState.Terminated.ExitCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_ExecReadinessProbe_ReadyOnceTheCommandSucceeds()
    {
        var marker = Path.Combine(Root, "ready");
        var container = Container("sleep 30");
        container.ReadinessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["/bin/sh", "-c", $"test -f {marker}"] }, PeriodSeconds = 1 };
        var run = await StartAsync("exec-ready", "Always", container);

        var before = await ReadAsync("exec-ready");
        Assert.False(Assert.Single(before.ContainerStatuses).Ready);
        Assert.Equal("False", Condition(before, "Ready"));
        await File.WriteAllTextAsync(marker, "yes");

        var after = await Eventually.UntilAsync(() => ReadAsync("exec-ready"), s => Condition(s, "Ready") == "True", "the pod Ready");
        Assert.True(Assert.Single(after.ContainerStatuses).Ready);
        Assert.Equal("True", Condition(after, "ContainersReady"));
        Assert.True(run.IsReady("app"));
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_TcpSocketReadinessProbe_ReadyWhileThePortListens()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var container = Container("sleep 30");
        container.Ports = [new V1ContainerPort { Name = "service", ContainerPort = port }];
        container.ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "service" }, PeriodSeconds = 1, FailureThreshold = 1 };
        await StartAsync("tcp-ready", "Always", container);

        await Eventually.UntilAsync(() => ReadAsync("tcp-ready"), s => Condition(s, "Ready") == "True", "the pod Ready while the port listens");
        listener.Stop();

        var status = await Eventually.UntilAsync(() => ReadAsync("tcp-ready"), s => Condition(s, "Ready") == "False", "the pod not Ready once the port closed");
        Assert.False(Assert.Single(status.ContainerStatuses).Ready);
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_HttpGetReadinessProbe_ReadyOnlyOnSuccessStatus()
    {
        var healthy = false;
        using var http = new HttpListener();
        var port = FreePort();
        http.Prefixes.Add($"http://127.0.0.1:{port}/");
        http.Start();
        var serving = Task.Run(async () =>
        {
            while (http.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await http.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                context.Response.StatusCode = context.Request.Url!.AbsolutePath == "/healthz" && Volatile.Read(ref healthy) ? 200 : 503;
                context.Response.Close();
            }
        });
        var container = Container("sleep 30");
        container.ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, PeriodSeconds = 1 };
        await StartAsync("http-ready", "Always", container);

        await Task.Delay(1500);
        Assert.Equal("False", Condition(await ReadAsync("http-ready"), "Ready"));
        Volatile.Write(ref healthy, true);

        await Eventually.UntilAsync(() => ReadAsync("http-ready"), s => Condition(s, "Ready") == "True", "the pod Ready once /healthz answers 200");
        http.Stop();
        await serving;
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_StartupProbe_NotStartedNorReadyUntilItSucceeds()
    {
        var marker = Path.Combine(Root, "started");
        var container = Container("sleep 30");
        container.StartupProbe = new V1Probe { Exec = new V1ExecAction { Command = ["/bin/sh", "-c", $"test -f {marker}"] }, PeriodSeconds = 1, FailureThreshold = 60 };
        var run = await StartAsync("startup", "Always", container);

        var before = Assert.Single((await ReadAsync("startup")).ContainerStatuses);
        Assert.False(before.Started);
        Assert.False(before.Ready);
        await File.WriteAllTextAsync(marker, "yes");

        var after = await Eventually.UntilAsync(() => ReadAsync("startup"), s => Condition(s, "Ready") == "True", "the pod Ready after its startup probe");
        var status = Assert.Single(after.ContainerStatuses);
        Assert.True(status.Started);
        Assert.True(status.Ready);
        Assert.Equal(0, run.RestartCount("app"));
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_StartupProbeNeverSucceeds_ContainerKilledAndLivenessNeverRan()
    {
        var livenessRan = Path.Combine(Root, "liveness-ran");
        var container = Container("sleep 30");
        container.StartupProbe = new V1Probe { Exec = new V1ExecAction { Command = ["/bin/sh", "-c", "exit 1"] }, PeriodSeconds = 1, FailureThreshold = 2 };
        container.LivenessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["/bin/sh", "-c", $"touch {livenessRan}"] }, PeriodSeconds = 1 };
        var run = await StartAsync("startup-fails", "Never", container);

        Assert.Equal("Failed", await run.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));

        var ended = run.Ended("app")!;
        Assert.Equal(137, ended.ExitCode);
        Assert.Contains(ended.Log, line => line.Contains("failed its startup probe and was killed", StringComparison.Ordinal));
        Assert.False(File.Exists(livenessRan), "the liveness probe ran before the startup probe succeeded");
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_InitContainerFailsTwice_RunAgainAfterBackOffThenThePodStarts()
    {
        var script = $"f={Root}/init-count; n=$(( $(cat $f 2>/dev/null || echo 0) + 1 )); echo $n > $f; [ $n -ge 3 ]";
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "init-retry" },
            Spec = new V1PodSpec
            {
                RestartPolicy = "OnFailure",
                InitContainers = [new V1Container { Name = "setup", Image = Shell, Args = [script] }],
                Containers = [Container("echo started")],
            },
        }, "demo");
        var run = await RunAsync(pod);

        Assert.Equal("Succeeded", await run.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal(2, run.RestartCount("setup"));
        var init = Assert.Single((await ReadAsync("init-retry")).InitContainerStatuses);
        Assert.Equal(2, init.RestartCount);
        Assert.Equal(0, init.State.Terminated.ExitCode);
        Assert.Equal(1, init.LastState.Terminated.ExitCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_InitContainerFailsWithRestartPolicyNever_PodFailed()
    {
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "init-never" },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                InitContainers = [new V1Container { Name = "setup", Image = Shell, Args = ["exit 4"] }],
                Containers = [Container("echo never")],
            },
        }, "demo");
        var run = await RunAsync(pod);

        Assert.Equal("Failed", run.Phase);
        Assert.Equal(0, run.RestartCount("setup"));
        var status = await ReadAsync("init-never");
        Assert.Equal("Failed", status.Phase);
        Assert.Contains("init container setup exited with 4", status.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task RunPod_ArgsReferenceTheEnv_ExpandedBeforeTheContainerStarts()
    {
        var container = Container("echo greeting=$(GREETING) escaped=$$(GREETING) unknown=$(NOPE)");
        container.Env = [new V1EnvVar { Name = "NAME", Value = "sandbox" }, new V1EnvVar { Name = "GREETING", Value = "hello-$(NAME)" }];
        var run = await StartAsync("expand", "Never", container);

        Assert.Equal("Succeeded", await run.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));

        // The shell then runs "$(GREETING)" of the escaped form and "$(NOPE)" as command substitutions that fail quietly.
        Assert.Contains(run.Ended("app")!.Log, line => line.StartsWith("greeting=hello-sandbox ", StringComparison.Ordinal));
    }

    private static V1Container Container(string script) => new() { Name = "app", Image = Shell, Args = [script] };

    private async Task<LocalPodRun> StartAsync(string name, string restartPolicy, V1Container container, TimeSpan? backoff = null)
    {
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec { RestartPolicy = restartPolicy, Containers = [container] },
        }, "demo");
        return await RunAsync(pod, backoff);
    }

    private async Task<LocalPodRun> RunAsync(V1Pod pod, TimeSpan? backoff = null)
    {
        var kubelet = new LocalKubelet(Client, Root);
        DisposeAfterwards(kubelet);
        var local = await kubelet.StartPodAsync(pod, CancellationToken.None);
        var options = new KubeletOptions { RestartBackoffBase = backoff ?? TimeSpan.FromMilliseconds(50), RestartBackoffMax = backoff ?? TimeSpan.FromMilliseconds(200) };
        var run = await new LocalPodRunner(Runner, Client, options).StartAsync(local, TimeSpan.FromSeconds(10), CancellationToken.None);
        DisposeAfterwards(run);
        return run;
    }

    private async Task<V1PodStatus> ReadAsync(string name) => (await Client.CoreV1.ReadNamespacedPodAsync(name, "demo")).Status;

    private static string? Condition(V1PodStatus status, string type) => status.Conditions?.FirstOrDefault(c => c.Type == type)?.Status;

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>
/// Holds each pod status write that says <c>"phase":"Running"</c> for a while before it is sent, and sends it even when
/// the caller has stopped waiting — as a request already on the wire reaches the API server whatever the client does.
/// </summary>
internal sealed class SlowRunningStatusWrites(TimeSpan delay) : DelegatingHandler
{
    private readonly List<Task> _sends = [];
    private int _delayed;

    public int Delayed => Volatile.Read(ref _delayed);

    /// <summary>Completes when every write sent so far has reached the server.</summary>
    public async Task DrainedAsync()
    {
        Task[] sends;
        lock (_sends)
        {
            sends = [.. _sends];
        }

        await Task.WhenAll(sends).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(CancellationToken.None);
        var slow = request.Method == HttpMethod.Patch
            && request.RequestUri!.AbsolutePath.EndsWith("/status", StringComparison.Ordinal)
            && body.Contains("\"phase\":\"Running\"", StringComparison.Ordinal);
        if (!slow)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        Interlocked.Increment(ref _delayed);
        var send = SendLateAsync(request);
        lock (_sends)
        {
            _sends.Add(send);
        }

        return await send.WaitAsync(cancellationToken);
    }

    private async Task<HttpResponseMessage> SendLateAsync(HttpRequestMessage request)
    {
        await Task.Delay(delay);
        return await base.SendAsync(request, CancellationToken.None);
    }
}
