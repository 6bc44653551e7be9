using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Tests.Kubelet.Networking;
using AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet;

/// <summary>
/// <c>serve</c>'s kubelet behaves like a node towards the real kubectl: it binds the pods it runs (<c>spec.nodeName</c>,
/// PodScheduled), so <c>kubectl delete pod</c> only marks them; it stops their containers — SIGTERM, SIGKILL after
/// the grace period — and then removes them, so <c>kubectl delete pod x --wait</c> returns after the container stopped.
/// </summary>
public sealed class KubeletSyncLoopTerminationTests : IAsyncLifetime
{
    private const int Timeout = 180_000;
    private const string Ns = "node";

    private readonly string _folder = Directory.CreateTempSubdirectory("azwi-kubelet-node-").FullName;
    private KubernetesApiServer _server = null!;
    private KubeletSyncLoop _loop = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync();
        _server.WriteKubeconfig(Path.Combine(_folder, "kubeconfig"));
        var client = _server.CreateClient();
        var runner = new LocalContainerRunner([new LocalImage(TestKubelet.ProcessImage, "/bin/sh", ["-c"])]);
        _loop = new KubeletSyncLoop(client, new LocalKubelet(client, Path.Combine(_folder, "pods")), runner, () => []);
    }

    [PodNetworkFact(Timeout = Timeout)]
    public async Task DeletePod_Wait_ReturnsAfterTheContainerRanItsSigtermHandler()
    {
        await ApplyAsync("graceful", "trap 'echo got SIGTERM; sleep 1; echo handler done; exit 0' TERM; echo started; while true; do sleep 0.1; done", grace: 30);
        await KubectlAsync("wait", "--for=condition=Ready", "pod/graceful", "-n", Ns, "--timeout=120s");
        var bound = JsonNode.Parse(await KubectlAsync("get", "pod", "graceful", "-n", Ns, "-o", "json"))!;
        var run = _loop.Run(Ns, "graceful")!;

        await KubectlAsync("delete", "pod", "graceful", "-n", Ns, "--wait=true", "--timeout=60s");

        Assert.Equal("sandbox-node", bound["spec"]!["nodeName"]!.GetValue<string>());
        Assert.Contains(bound["status"]!["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "PodScheduled" && c["status"]!.GetValue<string>() == "True");
        var log = run.Log("main").ToList();
        Assert.True(log.IndexOf("started") >= 0 && log.IndexOf("started") < log.IndexOf("got SIGTERM") && log.IndexOf("got SIGTERM") < log.IndexOf("handler done"),
            "the container did not run its SIGTERM handler to the end before the pod went: " + string.Join(" | ", log));
        Assert.Empty(_server.Store.List(ResourceCatalog.Pods, Ns).Items);
        Assert.Equal(0, _loop.PodsIn(Ns));
    }

    [PodNetworkFact(Timeout = Timeout)]
    public async Task DeletePod_ContainerIgnoresSigterm_KilledAfterTerminationGracePeriod()
    {
        await ApplyAsync("stubborn", "trap '' TERM; echo $$; while true; do sleep 0.1; done", grace: 2);
        await KubectlAsync("wait", "--for=condition=Ready", "pod/stubborn", "-n", Ns, "--timeout=120s");
        var run = _loop.Run(Ns, "stubborn")!;
        await Eventually.TrueAsync(() => run.Log("main").Count > 0, TimeSpan.FromSeconds(30), () => "the container did not print its process ID");
        var pid = run.Log("main")[0].Trim();

        var marked = await KubectlAsync("delete", "pod", "stubborn", "-n", Ns, "--wait=false");
        var terminating = JsonNode.Parse(await KubectlAsync("get", "pod", "stubborn", "-n", Ns, "-o", "json"))!;
        await KubectlAsync("wait", "--for=delete", "pod/stubborn", "-n", Ns, "--timeout=60s");

        Assert.Contains("deleted", marked, StringComparison.Ordinal);
        Assert.Equal(2, terminating["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        Assert.False(Directory.Exists($"/proc/{pid}") && File.ReadAllText($"/proc/{pid}/cmdline").Contains("trap", StringComparison.Ordinal), $"process {pid} still runs after the grace period");
        Assert.Empty(_server.Store.List(ResourceCatalog.Pods, Ns).Items);
    }

    private Task<string> ApplyAsync(string name, string script, int grace) => KubectlAsync(
        ["apply", "-f", "-"],
        new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
            ["spec"] = new JsonObject
            {
                ["terminationGracePeriodSeconds"] = grace,
                ["automountServiceAccountToken"] = false, // this API server has no token signer
                ["restartPolicy"] = "Always",
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main",
                    ["image"] = TestKubelet.ProcessImage,
                    ["command"] = new JsonArray("/bin/sh", "-c"),
                    ["args"] = new JsonArray(script),
                }),
            },
        }.ToJsonString());

    private Task<string> KubectlAsync(params string[] arguments) => KubectlAsync(arguments, null);

    private async Task<string> KubectlAsync(string[] arguments, string? input)
    {
        var run = await ProcessRunner.RunAsync(
            KubectlBinary.Find("1.33"), arguments, _folder, TimeSpan.FromMinutes(2), input,
            new Dictionary<string, string> { ["KUBECONFIG"] = Path.Combine(_folder, "kubeconfig"), ["HOME"] = _folder });
        Assert.True(run.ExitCode == 0, run.Describe("kubectl " + string.Join(' ', arguments)));
        return run.StandardOutput;
    }

    public async Task DisposeAsync()
    {
        await _loop.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
