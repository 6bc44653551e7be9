namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// <c>kubectl port-forward</c> against the sandbox. kubectl 1.28 speaks only SPDY for port-forward, which the sandbox
/// does not serve: it gets an error naming the fix. (kubectl 1.31+'s SPDY-in-WebSocket tunnel is served by
/// <c>PodPortForwardEndpoint</c> but not yet proven end to end; see docs/kubernetes-sandbox.md.)
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed class KubectlPortForwardTests(KubectlSandbox sandbox)
{
    private const int Timeout = 120_000;

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
}
