using AzureWorkloadIdentity.Sandbox.Kubelet.Containers;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>A test of OCI containers: skipped, saying why, where podman cannot run them (scripts/install-prereqs.sh installs it).</summary>
public sealed class PodmanFactAttribute : FactAttribute
{
    public PodmanFactAttribute()
    {
        if (!ContainerRuntimeSelector.UseContainers(out var note))
        {
            Skip = note;
        }
    }
}
