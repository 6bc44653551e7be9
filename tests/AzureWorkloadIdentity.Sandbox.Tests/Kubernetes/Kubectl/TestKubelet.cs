using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubelet.Containers;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.TestUtilities;
using k8s;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// Plays the node for the kubectl tests: runs a pod that kubectl created, as the sandbox's kubelet does, registered
/// with the API server's streaming server so that <c>kubectl logs</c>, <c>exec</c> and <c>port-forward</c> reach it.
/// Containers are <c>/bin/sh -c &lt;script&gt;</c>: local processes, or OCI containers of the Debian stand-in image.
/// </summary>
public sealed class TestKubelet : IAsyncDisposable
{
    /// <summary>The local program the process runtime runs for <see cref="ProcessImage"/>.</summary>
    public const string ProcessImage = "example.test/sh";

    /// <summary>An image <c>bash scripts/build-images.sh</c> builds, with a shell.</summary>
    public const string PodmanImage = "localhost/azwi-stand-in/debian:bookworm";

    private readonly KubectlSandbox _sandbox;
    private readonly IContainerRunner _runner;
    private readonly IKubernetes _client;
    private readonly LocalKubelet _kubelet;
    private readonly bool _network;
    private readonly List<IAsyncDisposable> _runs = [];

    private TestKubelet(KubectlSandbox sandbox, IContainerRunner runner, string image, bool network)
    {
        _sandbox = sandbox;
        _runner = runner;
        _network = network;
        Image = image;
        _client = sandbox.Host.Kubernetes.CreateClient();
        _kubelet = new LocalKubelet(_client, Path.Combine(sandbox.Folder, "pods-" + Guid.NewGuid().ToString("N")[..8]));
    }

    public string Image { get; }

    /// <summary>Containers as local processes; with <paramref name="network"/>, each pod in its own network namespace.</summary>
    public static TestKubelet Processes(KubectlSandbox sandbox, bool network = false) =>
        new(sandbox, new LocalContainerRunner([new LocalImage(ProcessImage, "/bin/sh", ["-c"])]), ProcessImage, network);

    /// <summary>Containers run by podman from <see cref="PodmanImage"/>, each pod in its own network namespace.</summary>
    public static TestKubelet Podman(KubectlSandbox sandbox) => new(sandbox, new PodmanContainerRunner(), PodmanImage, network: true);

    /// <summary>A container running <paramref name="script"/> with <c>/bin/sh -c</c> (the process runtime ignores <c>command</c>).</summary>
    public JsonObject Container(string name, string script) => new()
    {
        ["name"] = name,
        ["image"] = Image,
        ["command"] = new JsonArray("/bin/sh", "-c"),
        ["args"] = new JsonArray(script),
    };

    /// <summary>A pod manifest (JSON, which kubectl apply reads as YAML) with the given containers.</summary>
    public static string PodJson(string ns, string name, string restartPolicy, params JsonObject[] containers) => new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject { ["restartPolicy"] = restartPolicy, ["containers"] = new JsonArray([.. containers]) },
    }.ToJsonString();

    /// <summary>Starts the stored pod as the kubelet does and serves it to the API server's streaming endpoints.</summary>
    public async Task<LocalPodRun> RunAsync(string ns, string name, TimeSpan? backoff = null)
    {
        var pod = await _client.CoreV1.ReadNamespacedPodAsync(name, ns);
        var local = _network
            ? await _kubelet.StartPodAsync(pod, [], CancellationToken.None)
            : await _kubelet.StartPodAsync(pod, CancellationToken.None);
        var options = new KubeletOptions
        {
            StreamingServer = _sandbox.Host.KubeletStreams,
            RestartBackoffBase = backoff ?? TimeSpan.FromMilliseconds(100),
            RestartBackoffMax = backoff ?? TimeSpan.FromMilliseconds(100),
        };
        var run = await new LocalPodRunner(_runner, _client, options).StartAsync(local, TimeSpan.FromSeconds(30), CancellationToken.None);
        _runs.Add(run);
        return run;
    }

    /// <summary>Waits for a controller to create a pod matching <paramref name="labelSelector"/>, then runs it.</summary>
    public async Task<LocalPodRun> RunFirstAsync(string ns, string labelSelector)
    {
        var pods = await Eventually.UntilAsync(
            () => _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector),
            list => list.Items.Count > 0,
            $"a pod matching {labelSelector} in {ns}");
        return await RunAsync(ns, pods.Items[0].Metadata.Name);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var run in Enumerable.Reverse(_runs))
        {
            await run.DisposeAsync();
        }

        await _kubelet.DisposeAsync();
        if (_runner is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        _client.Dispose();
    }
}
