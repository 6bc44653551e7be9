using AzureWorkloadIdentity.Sandbox.Kubelet;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet.Networking;

/// <summary>A fact that is skipped, with the reason, where the kubelet cannot make pod networks (not Linux, not root).</summary>
public sealed class PodNetworkFactAttribute : FactAttribute
{
    public PodNetworkFactAttribute()
    {
        Skip = PodNetwork.UnsupportedReason;
    }
}
