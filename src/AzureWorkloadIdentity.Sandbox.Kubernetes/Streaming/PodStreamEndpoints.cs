namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>
/// The pod subresources that kube-apiserver hands to the kubelet running the pod: <c>log</c>, <c>exec</c> and
/// <c>portforward</c> (<c>attach</c> is not served).
/// </summary>
internal sealed class PodStreamEndpoints(ObjectStore store, KubernetesApiServerOptions options)
{
    public static bool Serves(ResourcePath path) =>
        path is { Group: "", Resource: "pods", Name: not null, Subresource: "log" or "exec" or "portforward" or "attach" };

    public Task HandleAsync(HttpContext context, ResourcePath path)
    {
        if (path.Subresource == "attach")
        {
            throw KubernetesApiException.BadRequest("this sandbox does not serve pods/attach: use kubectl logs -f to follow a container's output, or kubectl exec");
        }

        var kubelet = options.Kubelet
            ?? throw new KubernetesApiException(503, "ServiceUnavailable", $"no kubelet is connected to this API server, so pods/{path.Subresource} cannot be served; start the sandbox with a kubelet (azwi-sandbox serve does)");
        return path.Subresource switch
        {
            "log" => PodLogEndpoint.HandleAsync(context, store, kubelet, path, options.TimeProvider),
            "exec" => PodExecEndpoint.HandleAsync(context, store, kubelet, path),
            _ => PodPortForwardEndpoint.HandleAsync(context, store, kubelet, path),
        };
    }
}
