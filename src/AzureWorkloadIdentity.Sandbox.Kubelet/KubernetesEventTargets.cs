using AzureWorkloadIdentity.Sandbox.Kubernetes.Events;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>The involved object of an Event from a KubernetesClient model, as client-go's <c>GetReference</c> makes it.</summary>
public static class KubernetesEventTargets
{
    public static EventTarget Of(string apiVersion, string kind, V1ObjectMeta metadata, string? fieldPath = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new EventTarget(apiVersion, kind, metadata.NamespaceProperty, metadata.Name, metadata.Uid, metadata.ResourceVersion, fieldPath);
    }

    /// <summary>A pod, or with <paramref name="container"/> that container of it (<c>spec.containers{name}</c>, <c>spec.initContainers{name}</c>).</summary>
    public static EventTarget Of(V1Pod pod, string? container = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        string? fieldPath = null;
        if (container is not null)
        {
            var init = pod.Spec?.InitContainers?.Any(c => c.Name == container) == true;
            fieldPath = (init ? "spec.initContainers{" : "spec.containers{") + container + "}";
        }

        return Of("v1", "Pod", pod.Metadata, fieldPath);
    }
}
