using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// <c>kubectl exec</c> against the sandbox over the WebSocket channel protocol (v5): standard output and error kept
/// apart, the command's exit code as kubectl's, standard input with <c>-i</c>, a chosen container; kubectl 1.28,
/// which speaks only SPDY for exec, gets an error that names the fix.
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class KubectlExecTests(KubectlSandbox sandbox)
{
    private const int Timeout = 120_000;
    private const string Current = "1.33";

    [Fact(Timeout = Timeout)]
    public async Task Exec_CommandWritesBothStreams_KeptApart()
    {
        await using var kubelet = TestKubelet.Processes(sandbox);
        var ns = await RunAsync(kubelet, "both", kubelet.Container("app", "sleep 60"));

        var result = await sandbox.KubectlAsync(Current, "exec", "both", "-n", ns, "--", "sh", "-c", "echo to-stdout; echo to-stderr >&2");

        Assert.Equal("to-stdout\n", result.Succeeded());
        Assert.Equal("to-stderr\n", result.Error);
    }

    [Fact(Timeout = Timeout)]
    public async Task Exec_CommandExitsThree_KubectlExitsThree()
    {
        await using var kubelet = TestKubelet.Processes(sandbox);
        var ns = await RunAsync(kubelet, "exits", kubelet.Container("app", "sleep 60"));

        var result = await sandbox.KubectlAsync(Current, "exec", "exits", "-n", ns, "--", "sh", "-c", "echo before; exit 3");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("before\n", result.Output);
        Assert.Contains("command terminated with exit code 3", result.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Exec_InteractiveStdin_CommandReadsItToTheEnd()
    {
        await using var kubelet = TestKubelet.Processes(sandbox);
        var ns = await RunAsync(kubelet, "reader", kubelet.Container("app", "sleep 60"));

        var result = await sandbox.KubectlWithInputAsync(Current, "first line\nsecond line\n", "exec", "-i", "reader", "-n", ns, "--", "sh", "-c", "wc -l; echo done");

        Assert.Equal(["2", "done"], result.Succeeded().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
    }

    [Fact(Timeout = Timeout)]
    public async Task Exec_DashC_RunsBesideTheChosenContainerWithItsEnvironment()
    {
        await using var kubelet = TestKubelet.Processes(sandbox);
        var sidecar = kubelet.Container("sidecar", "sleep 60");
        sidecar["env"] = new JsonArray(new JsonObject { ["name"] = "ROLE", ["value"] = "sidecar" });
        var ns = await RunAsync(kubelet, "pair", kubelet.Container("web", "sleep 60"), sidecar);

        var result = await sandbox.KubectlAsync(Current, "exec", "pair", "-n", ns, "-c", "sidecar", "--", "sh", "-c", "echo $ROLE");
        var missing = await sandbox.KubectlAsync(Current, "exec", "pair", "-n", ns, "-c", "nope", "--", "true");

        Assert.Equal("sidecar\n", result.Succeeded());
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("Error from server (BadRequest): container nope is not valid for pod pair", missing.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Exec_ContainerEnded_ErrorNamesTheContainer()
    {
        await using var kubelet = TestKubelet.Processes(sandbox);
        var ns = KubectlSandbox.NewNamespace("ended");
        (await sandbox.KubectlAsync(Current, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(Current, TestKubelet.PodJson(ns, "done", "Never", kubelet.Container("app", "sleep 60"), kubelet.Container("short", "true")), "apply", "-f", "-")).Succeeded();
        var run = await kubelet.RunAsync(ns, "done");
        Assert.True(await run.WaitForContainerAsync("short", TimeSpan.FromSeconds(20), CancellationToken.None));

        var result = await sandbox.KubectlAsync(Current, "exec", "done", "-n", ns, "-c", "short", "--", "true");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("container not found (\"short\")", result.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Exec_Kubectl128SpeaksSpdy_ClearErrorNamingTheFix()
    {
        await using var kubelet = TestKubelet.Processes(sandbox);
        var ns = await RunAsync(kubelet, "old", kubelet.Container("app", "sleep 60"));

        var result = await sandbox.KubectlAsync("1.28", "exec", "old", "-n", ns, "--", "true");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("this sandbox serves pods/exec over WebSocket only, not SPDY: use kubectl 1.31 or later", result.Error, StringComparison.Ordinal);
    }

    [PodmanFact(Timeout = 240_000)]
    public async Task Exec_PodmanContainer_RunsInsideWithExitCodeAndStdin()
    {
        await using var kubelet = TestKubelet.Podman(sandbox);
        var ns = await RunAsync(kubelet, "boxed", kubelet.Container("app", "echo inside > /tmp/marker; sleep 120"));

        var marker = await sandbox.KubectlAsync(Current, "exec", "boxed", "-n", ns, "--", "sh", "-c", "until [ -f /tmp/marker ]; do sleep 0.1; done; cat /tmp/marker");
        var failing = await sandbox.KubectlAsync(Current, "exec", "boxed", "-n", ns, "--", "sh", "-c", "exit 7");
        var input = await sandbox.KubectlWithInputAsync(Current, "a\nb\nc\n", "exec", "-i", "boxed", "-n", ns, "--", "wc", "-l");

        Assert.Equal("inside\n", marker.Succeeded());
        Assert.Equal(7, failing.ExitCode);
        Assert.Equal("3", input.Succeeded().Trim());
    }

    private async Task<string> RunAsync(TestKubelet kubelet, string name, params JsonObject[] containers)
    {
        var ns = KubectlSandbox.NewNamespace(name);
        (await sandbox.KubectlAsync(Current, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(Current, TestKubelet.PodJson(ns, name, "Never", containers), "apply", "-f", "-")).Succeeded();
        await kubelet.RunAsync(ns, name);
        return ns;
    }
}
