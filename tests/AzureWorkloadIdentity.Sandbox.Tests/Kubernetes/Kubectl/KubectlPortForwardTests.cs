using System.Text.Json.Nodes;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// <c>kubectl port-forward</c> (1.33, SPDY/3.1 tunnelled in a WebSocket) to a pod serving HTTP on the loopback of its
/// own network namespace, as local processes and as podman containers, and to a Deployment's pod; a closed port gives
/// kubectl's error. kubectl 1.28 speaks only SPDY for port-forward, which the sandbox does not serve: it gets an error
/// naming the fix.
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class KubectlPortForwardTests(KubectlSandbox sandbox)
{
    private const int Timeout = 120_000;
    private const string Current = "1.33";
    private const int ServedPort = 8080;

    // An HTTP server in perl (in the machine's and the Debian stand-in image's base), answering each request with the
    // pod's name and a counter (a readiness probe's bare connection is not counted), listening on the pod's loopback
    // only: reachable through port-forward and nothing else.
    private const string Server = """
        exec perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 8080, Listen => 8, ReuseAddr => 1) or die "listen: $!"; $n = 0; while ($c = $s->accept) { next unless defined(<$c>); while (<$c>) { last if /^\r?\n$/ } $n++; print $c "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nanswer $n from $ENV{POD_NAME}\n"; close $c }'
        """;

    [Fact(Timeout = Timeout)]
    public async Task PortForward_PodServingHttp_TwoConnectionsFetchThroughTheLocalPort()
    {
        await using var kubelet = TestKubelet.Processes(sandbox, network: true);

        await AssertForwardsTwoConnectionsAsync(kubelet, "web");
    }

    [Fact(Timeout = Timeout)]
    public async Task PortForward_Deployment_ForwardsToItsPod()
    {
        await using var kubelet = TestKubelet.Processes(sandbox, network: true);
        var ns = KubectlSandbox.NewNamespace("pfdeploy");
        (await sandbox.KubectlAsync(Current, "create", "namespace", ns)).Succeeded();
        var deployment = TestKubelet.DeploymentJson(ns, "metrics", ServerContainer(kubelet));
        (await sandbox.KubectlWithInputAsync(Current, deployment, "apply", "-f", "-")).Succeeded();
        var run = await kubelet.RunFirstAsync(ns, "app=metrics");
        var pod = run.Pod.Pod.Metadata.Name;
        (await sandbox.KubectlAsync(Current, "wait", "--for=condition=Ready", $"pod/{pod}", "-n", ns, "--timeout=90s")).Succeeded();
        await using var forward = await PortForwardAsync("deploy/metrics", $":{ServedPort}", "-n", ns);

        var answer = await forward.GetAsync("/");

        Assert.Equal($"answer 1 from {pod}\n", answer);
    }

    [PodmanFact(Timeout = 240_000)]
    public async Task PortForward_PodmanContainer_ReachesThePodsLoopback()
    {
        await using var kubelet = TestKubelet.Podman(sandbox);

        await AssertForwardsTwoConnectionsAsync(kubelet, "boxed");
    }

    [Fact(Timeout = Timeout)]
    public async Task PortForward_ClosedPort_KubectlReportsTheErrorInsteadOfHanging()
    {
        await using var kubelet = TestKubelet.Processes(sandbox, network: true);
        var ns = await RunServerPodAsync(kubelet, "closed");
        await using var forward = await PortForwardAsync("pod/closed", ":9999", "-n", ns);

        await Assert.ThrowsAsync<HttpRequestException>(() => forward.GetAsync("/"));

        await Eventually.TrueAsync(
            () => forward.Error.Contains("error forwarding port 9999 to pod closed", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            () => "kubectl did not report the error: " + forward.Error);
        Assert.Contains("connection refused", forward.Error, StringComparison.OrdinalIgnoreCase);
        await Eventually.TrueAsync(() => forward.HasExited, TimeSpan.FromSeconds(30), () => "kubectl kept running after the failed forward");
        Assert.Contains("lost connection to pod", forward.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task PortForward_Kubectl128SpeaksSpdy_ClearErrorNamingTheFix()
    {
        await using var kubelet = TestKubelet.Processes(sandbox);
        var ns = KubectlSandbox.NewNamespace("old");
        (await sandbox.KubectlAsync("1.33", "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync("1.33", TestKubelet.PodJson(ns, "old", "Never", kubelet.Container("app", "sleep 60")), "apply", "-f", "-")).Succeeded();
        await kubelet.RunAsync(ns, "old");

        var result = await sandbox.KubectlAsync("1.28", "port-forward", "pod/old", ":8095", "-n", ns);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("this sandbox serves pods/portforward over WebSocket only, not SPDY: use kubectl 1.31 or later", result.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task PortForward_PodMissing_NotFound()
    {
        var ns = KubectlSandbox.NewNamespace("nopod");
        (await sandbox.KubectlAsync("1.33", "create", "namespace", ns)).Succeeded();

        var result = await sandbox.KubectlAsync("1.33", "port-forward", "pod/ghost", ":8095", "-n", ns);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("pods \"ghost\" not found", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Runs a pod serving HTTP, forwards a local port to it and fetches twice, each time on a new connection.</summary>
    private async Task AssertForwardsTwoConnectionsAsync(TestKubelet kubelet, string pod)
    {
        var ns = await RunServerPodAsync(kubelet, pod);
        await using var forward = await PortForwardAsync($"pod/{pod}", $":{ServedPort}", "-n", ns);

        var first = await forward.GetAsync("/");
        var second = await forward.GetAsync("/");

        Assert.Equal($"answer 1 from {pod}\n", first);
        Assert.Equal($"answer 2 from {pod}\n", second);
        Assert.False(forward.HasExited, forward.Error);
    }

    private Task<PortForwardProcess> PortForwardAsync(params string[] arguments) =>
        PortForwardProcess.StartAsync(sandbox.Start(KubectlBinary.Find(Current), ["port-forward", .. arguments]));

    private static JsonObject ServerContainer(TestKubelet kubelet)
    {
        var container = kubelet.Container("server", Server);
        // kubectl (client-go 1.31+) ends the whole port-forward when one forwarded connection fails, as it does when
        // the server is not listening yet: the tests forward once the pod is Ready, as a user would.
        container["readinessProbe"] = new JsonObject
        {
            ["tcpSocket"] = new JsonObject { ["port"] = ServedPort },
            ["periodSeconds"] = 1,
        };
        container["env"] = new JsonArray(new JsonObject
        {
            ["name"] = "POD_NAME",
            ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.name" } },
        });
        return container;
    }

    private async Task<string> RunServerPodAsync(TestKubelet kubelet, string name)
    {
        var ns = KubectlSandbox.NewNamespace(name);
        (await sandbox.KubectlAsync(Current, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(Current, TestKubelet.PodJson(ns, name, "Never", ServerContainer(kubelet)), "apply", "-f", "-")).Succeeded();
        await kubelet.RunAsync(ns, name);
        (await sandbox.KubectlAsync(Current, "wait", "--for=condition=Ready", $"pod/{name}", "-n", ns, "--timeout=90s")).Succeeded();
        return ns;
    }
}
