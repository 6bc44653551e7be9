namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>
/// <c>/api/v1/namespaces/{ns}/pods/{name}/exec</c>: runs a command in a running container through the kubelet and
/// relays its streams over a WebSocket (<see cref="RemoteCommandSession"/>), as kubectl 1.30 and later ask for it.
/// The pod and container are checked before the upgrade, so those errors reach kubectl as API errors.
/// </summary>
internal static class PodExecEndpoint
{
    private static readonly string[] Protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

    public static async Task HandleAsync(HttpContext context, ObjectStore store, IKubeletStreams kubelet, ResourcePath path)
    {
        var query = context.Request.Query;
        var pod = store.Get(ResourceCatalog.Pods, path.Namespace, path.Name!).ToJsonObject();
        var container = PodContainers.Choose(pod, path.Name!, query["container"]);
        var command = query["command"].OfType<string>().ToList();
        if (command.Count == 0)
        {
            throw KubernetesApiException.BadRequest("you must specify at least one command for the container");
        }

        var (stdin, stdout, stderr) = (QueryFlag.IsTrue(query["stdin"]), QueryFlag.IsTrue(query["stdout"]), QueryFlag.IsTrue(query["stderr"]));
        if (!stdin && !stdout && !stderr)
        {
            throw KubernetesApiException.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }

        var protocol = StreamUpgrade.Negotiate(context, "exec", Protocols);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        var session = new RemoteCommandSession(socket, closeSignal: protocol == Protocols[0]);
        await session.RunAsync(
            () => kubelet.ExecAsync(path.Namespace!, path.Name!, container, command, stdin, context.RequestAborted),
            command, stdout, stderr, context.RequestAborted);
    }
}
