using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>
/// The container a <c>pods/log</c>, <c>pods/exec</c> or <c>pods/attach</c> request means, chosen as kube-apiserver
/// chooses it: the named one, which must be one of the pod's (init, regular or ephemeral) containers, or the only
/// regular container when none is named.
/// </summary>
internal static class PodContainers
{
    public static string Choose(JsonObject pod, string podName, string? container)
    {
        var spec = pod["spec"] as JsonObject;
        var containers = Names(spec, "containers");
        var init = Names(spec, "initContainers");
        var ephemeral = Names(spec, "ephemeralContainers");
        if (!string.IsNullOrEmpty(container))
        {
            return containers.Concat(init).Concat(ephemeral).Contains(container, StringComparer.Ordinal)
                ? container
                : throw KubernetesApiException.BadRequest($"container {container} is not valid for pod {podName}");
        }

        switch (containers.Count)
        {
            case 1:
                return containers[0];
            case 0:
                throw KubernetesApiException.BadRequest($"a container name must be specified for pod {podName}");
            default:
                var message = $"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', containers)}]";
                if (init.Count > 0)
                {
                    message += $" or one of the init containers: [{string.Join(' ', init)}]";
                }

                if (ephemeral.Count > 0)
                {
                    message += $" or one of the ephemeral containers: [{string.Join(' ', ephemeral)}]";
                }

                throw KubernetesApiException.BadRequest(message);
        }
    }

    private static List<string> Names(JsonObject? spec, string list) =>
        [.. (spec?[list] as JsonArray ?? []).Select(c => c?["name"]?.GetValue<string>()).OfType<string>()];
}
