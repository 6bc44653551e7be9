using System.Globalization;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// <c>kubectl logs</c> against the sandbox, reading what the kubelet kept of a container's output: whole, its tail,
/// with timestamps, followed until the container ends, the previous instance after a restart, a chosen container
/// of several, and a Deployment's pod — with containers as local processes and as podman containers.
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class KubectlLogsTests(KubectlSandbox sandbox)
{
    private const int Timeout = 120_000;

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Logs_ContainerWroteLines_WholeTailAndTimestamps(string version)
    {
        var ns = KubectlSandbox.NewNamespace("logs");
        await using var kubelet = TestKubelet.Processes(sandbox);
        var run = await ApplyAndRunAsync(version, kubelet, ns, "printer", "Never", kubelet.Container("app", "echo one; echo two >&2; echo three; sleep 60"));
        await Eventually.TrueAsync(() => run.Log("app").Count == 3, TimeSpan.FromSeconds(20), () => "the container did not write its three lines");

        var whole = (await sandbox.KubectlAsync(version, "logs", "printer", "-n", ns)).Succeeded();
        var tail = (await sandbox.KubectlAsync(version, "logs", "printer", "-n", ns, "--tail", "1")).Succeeded();
        var stamped = (await sandbox.KubectlAsync(version, "logs", "printer", "-n", ns, "--timestamps")).Succeeded();

        // Standard output and error are two pipes, so their relative order is the order the kubelet read them in.
        var kept = run.Log("app");
        Assert.Equal(["one", "three", "two"], kept.Order(StringComparer.Ordinal));
        Assert.Equal(kept, Lines(whole));
        Assert.Equal([kept[^1]], Lines(tail));
        var first = Lines(stamped)[0].Split(' ', 2);
        Assert.Equal(kept[0], first[1]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$", first[0]);
        var time = DateTimeOffset.Parse(first[0][..27] + "Z", CultureInfo.InvariantCulture);
        Assert.InRange(time, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task LogsFollow_ContainerEnds_StreamsLinesThenExits(string version)
    {
        var ns = KubectlSandbox.NewNamespace("follow");
        await using var kubelet = TestKubelet.Processes(sandbox);
        await ApplyAndRunAsync(version, kubelet, ns, "ticker", "Never", kubelet.Container("app", "echo first; sleep 2; echo last"));

        var followed = (await sandbox.KubectlAsync(version, "logs", "-f", "ticker", "-n", ns)).Succeeded();

        Assert.Equal(["first", "last"], Lines(followed));
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task LogsPrevious_AfterRestart_ShowsTheEndedInstance(string version)
    {
        var ns = KubectlSandbox.NewNamespace("previous");
        await using var kubelet = TestKubelet.Processes(sandbox);
        var counter = Path.Combine(sandbox.Folder, ns + "-count");
        var script = $"n=$(( $(cat {counter} 2>/dev/null || echo 0) + 1 )); echo $n > {counter}; echo run $n; if [ $n -ge 2 ]; then sleep 60; fi; exit 1";
        var run = await ApplyAndRunAsync(version, kubelet, ns, "crasher", "Always", kubelet.Container("app", script));
        await Eventually.TrueAsync(() => run.RestartCount("app") >= 1 && run.Log("app").Contains("run 2"), TimeSpan.FromSeconds(20), () => "the container was not restarted");

        var current = (await sandbox.KubectlAsync(version, "logs", "crasher", "-n", ns)).Succeeded();
        var previous = (await sandbox.KubectlAsync(version, "logs", "crasher", "-n", ns, "--previous")).Succeeded();

        Assert.Equal(["run 2"], Lines(current));
        Assert.Equal(["run 1"], Lines(previous));
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task LogsPrevious_NeverRestarted_KubeletError(string version)
    {
        var ns = KubectlSandbox.NewNamespace("noprev");
        await using var kubelet = TestKubelet.Processes(sandbox);
        await ApplyAndRunAsync(version, kubelet, ns, "steady", "Always", kubelet.Container("app", "echo up; sleep 60"));

        var previous = await sandbox.KubectlAsync(version, "logs", "steady", "-n", ns, "--previous");

        Assert.Equal(1, previous.ExitCode);
        Assert.Contains("Error from server (BadRequest): previous terminated container \"app\" in pod \"steady\" not found", previous.Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Logs_TwoContainers_DashCChoosesAndRawApiNamesTheChoices(string version)
    {
        var ns = KubectlSandbox.NewNamespace("twoc");
        await using var kubelet = TestKubelet.Processes(sandbox);
        var run = await ApplyAndRunAsync(version, kubelet, ns, "pair", "Never",
            kubelet.Container("web", "echo from web; sleep 60"), kubelet.Container("sidecar", "echo from sidecar; sleep 60"));
        await Eventually.TrueAsync(() => run.Log("sidecar").Count == 1 && run.Log("web").Count == 1, TimeSpan.FromSeconds(20), () => "the containers did not write");

        var sidecar = (await sandbox.KubectlAsync(version, "logs", "pair", "-n", ns, "-c", "sidecar")).Succeeded();
        var defaulted = await sandbox.KubectlAsync(version, "logs", "pair", "-n", ns);
        var raw = await sandbox.KubectlAsync(version, "get", "--raw", $"/api/v1/namespaces/{ns}/pods/pair/log");
        var wrong = await sandbox.KubectlAsync(version, "logs", "pair", "-n", ns, "-c", "nope");

        Assert.Equal(["from sidecar"], Lines(sidecar));
        Assert.Equal(["from web"], Lines(defaulted.Succeeded()));
        Assert.Contains("Defaulted container \"web\" out of: web, sidecar", defaulted.Error, StringComparison.Ordinal);
        Assert.Equal(1, raw.ExitCode);
        Assert.Contains("a container name must be specified for pod pair, choose one of: [web sidecar]", raw.Error, StringComparison.Ordinal);
        Assert.Contains("container nope is not valid for pod pair", wrong.Error, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Logs_Deployment_ResolvedToItsPod(string version)
    {
        var ns = KubectlSandbox.NewNamespace("deploylogs");
        await using var kubelet = TestKubelet.Processes(sandbox);
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        var deployment = TestKubelet.DeploymentJson(ns, "web", kubelet.Container("app", "echo serving; sleep 60"));
        (await sandbox.KubectlWithInputAsync(version, deployment, "apply", "-f", "-")).Succeeded();
        var run = await kubelet.RunFirstAsync(ns, "app=web");
        await Eventually.TrueAsync(() => run.Log("app").Count == 1, TimeSpan.FromSeconds(20), () => "the deployment's container did not write");

        var logs = (await sandbox.KubectlAsync(version, "logs", "deploy/web", "-n", ns)).Succeeded();

        Assert.Equal(["serving"], Lines(logs));
    }

    [Fact(Timeout = Timeout)]
    public async Task Logs_PodNoKubeletRuns_ClearError()
    {
        var ns = KubectlSandbox.NewNamespace("nokubelet");
        var kubelet = TestKubelet.Processes(sandbox);
        await using (kubelet)
        {
            (await sandbox.KubectlAsync("1.33", "create", "namespace", ns)).Succeeded();
            (await sandbox.KubectlWithInputAsync("1.33", TestKubelet.PodJson(ns, "idle", "Never", kubelet.Container("app", "true")), "apply", "-f", "-")).Succeeded();
        }

        var logs = await sandbox.KubectlAsync("1.33", "logs", "idle", "-n", ns);

        Assert.Equal(1, logs.ExitCode);
        Assert.Contains("pod \"idle\" in namespace \"" + ns + "\" is not running on this sandbox's kubelet", logs.Error, StringComparison.Ordinal);
    }

    [PodmanFact(Timeout = 240_000)]
    public async Task Logs_PodmanContainer_FollowedAndPrevious()
    {
        var ns = KubectlSandbox.NewNamespace("podlogs");
        await using var kubelet = TestKubelet.Podman(sandbox);
        var run = await ApplyAndRunAsync("1.33", kubelet, ns, "boxed", "OnFailure", kubelet.Container("app", "echo in a container; sleep 1; echo exiting; exit 3"));
        await Eventually.TrueAsync(() => run.RestartCount("app") >= 1, TimeSpan.FromSeconds(60), () => "the container was not restarted: " + string.Join('|', run.Log("app")));

        var previous = (await sandbox.KubectlAsync("1.33", "logs", "boxed", "-n", ns, "--previous")).Succeeded();
        var followed = (await sandbox.KubectlAsync("1.33", "logs", "boxed", "-n", ns, "-f")).Succeeded();

        Assert.Equal(["in a container", "exiting"], Lines(previous));
        Assert.Equal(["in a container", "exiting"], Lines(followed));
    }

    private async Task<Sandbox.Kubelet.LocalPodRun> ApplyAndRunAsync(string version, TestKubelet kubelet, string ns, string name, string restartPolicy, params JsonObject[] containers)
    {
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(version, TestKubelet.PodJson(ns, name, restartPolicy, containers), "apply", "-f", "-")).Succeeded();
        return await kubelet.RunAsync(ns, name);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
