using System.Net;
using System.Net.Sockets;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

namespace AzureWorkloadIdentity.Sandbox.Kubelet.Streaming;

/// <summary>
/// The kubelet's streaming server as the API server reaches it: the pods this kubelet runs (registered by
/// <see cref="LocalPodRunner"/> through <see cref="KubeletOptions.StreamingServer"/>), their containers' logs,
/// commands run in their containers, and connections to their ports.
/// </summary>
public sealed class KubeletStreamingServer : IKubeletStreams
{
    private readonly Dictionary<(string Namespace, string Name), LocalPodRun> _pods = [];
    private readonly Lock _gate = new();

    /// <summary>Serves <paramref name="run"/>'s pod from now on (a pod of the same name replaces an older one).</summary>
    public void Add(LocalPodRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            _pods[Key(run)] = run;
        }
    }

    /// <summary>Stops serving <paramref name="run"/>'s pod, unless a newer pod of that name has taken its place.</summary>
    public void Remove(LocalPodRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            if (_pods.TryGetValue(Key(run), out var current) && ReferenceEquals(current, run))
            {
                _pods.Remove(Key(run));
            }
        }
    }

    public IAsyncEnumerable<ContainerLogLine> ReadLogAsync(string @namespace, string pod, string container, ContainerLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Find(@namespace, pod).ContainerLog(container, query.Previous).ReadAsync(query, cancellationToken);
    }

    public async Task<IContainerExec> ExecAsync(string @namespace, string pod, string container, IReadOnlyList<string> command, bool stdin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var run = Find(@namespace, pod);
        if (!run.IsRunning(container))
        {
            throw KubernetesApiException.BadRequest($"container not found (\"{container}\")");
        }

        try
        {
            return new ContainerExec(await run.Runner.StartExecAsync(run.Pod, container, command, cancellationToken), stdin);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            var reason = e is System.ComponentModel.Win32Exception ? $"exec: \"{command[0]}\": executable file not found in $PATH" : e.Message;
            throw new KubernetesApiException(500, "InternalError", $"error executing command in container: {reason}");
        }
    }

    public async Task<Stream> ConnectAsync(string @namespace, string pod, int port, CancellationToken cancellationToken)
    {
        var run = Find(@namespace, pod);
        try
        {
            return new NetworkStream(await PodSockets.ConnectAsync(run.Pod, IPAddress.Loopback, port, cancellationToken), ownsSocket: true);
        }
        catch (SocketException e)
        {
            throw new IOException($"failed to connect to localhost:{port} inside the pod's network: {e.Message}", e);
        }
    }

    private LocalPodRun Find(string @namespace, string pod)
    {
        lock (_gate)
        {
            return _pods.GetValueOrDefault((@namespace, pod))
                ?? throw KubernetesApiException.BadRequest(
                    $"pod \"{pod}\" in namespace \"{@namespace}\" is not running on this sandbox's kubelet: it has not been started (or has been removed), so it has no logs, exec or port-forward yet");
        }
    }

    private static (string, string) Key(LocalPodRun run) =>
        (run.Pod.Pod.Metadata.NamespaceProperty ?? "default", run.Pod.Pod.Metadata.Name);
}
