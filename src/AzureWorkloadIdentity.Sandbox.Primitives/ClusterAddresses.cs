using System.Net;

namespace AzureWorkloadIdentity.Sandbox.Primitives;

/// <summary>
/// How pods address the sandbox's API server, as in a kubeadm cluster: the <c>kubernetes</c> Service's ClusterIP (the
/// first address of the service CIDR 10.96.0.0/12) and DNS names. The sandbox's server certificate names them, so
/// in-cluster clients verify it against <c>ca.crt</c>.
/// </summary>
public static class ClusterAddresses
{
    public static IPAddress KubernetesServiceIp { get; } = IPAddress.Parse("10.96.0.1");

    public static IReadOnlyList<string> KubernetesServiceNames { get; } =
        ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"];
}
