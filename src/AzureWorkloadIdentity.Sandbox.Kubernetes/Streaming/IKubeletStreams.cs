namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>
/// What the API server asks of the kubelet that runs a pod, as kube-apiserver proxies <c>pods/log</c>,
/// <c>pods/exec</c> and <c>pods/portforward</c> to the kubelet's streaming server. Errors a user can act on (a
/// container that is not running, a previous instance that does not exist) are <see cref="KubernetesApiException"/>s,
/// which the API server returns as they are.
/// </summary>
public interface IKubeletStreams
{
    /// <summary>The lines of one container's log; with <see cref="ContainerLogQuery.Follow"/> it ends when the container does.</summary>
    IAsyncEnumerable<ContainerLogLine> ReadLogAsync(string @namespace, string pod, string container, ContainerLogQuery query, CancellationToken cancellationToken);

    /// <summary>Starts <paramref name="command"/> in the running container with its standard streams connected to the caller.</summary>
    Task<IContainerExec> ExecAsync(string @namespace, string pod, string container, IReadOnlyList<string> command, bool stdin, CancellationToken cancellationToken);

    /// <summary>A connection to <paramref name="port"/> of the pod, made from inside the pod's network.</summary>
    Task<Stream> ConnectAsync(string @namespace, string pod, int port, CancellationToken cancellationToken);
}
