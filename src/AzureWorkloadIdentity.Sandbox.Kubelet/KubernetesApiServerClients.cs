using k8s;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// KubernetesClient connections to the sandbox API server, for the sandbox's own API clients (kubelet, controllers,
/// quick start, tests). They live beside those clients so that the API server itself does not depend on the
/// KubernetesClient package (its objects are JSON).
/// </summary>
public static class KubernetesApiServerClients
{
    /// <summary>A client configuration as the admin's kubeconfig gives, trusting only the sandbox CA.</summary>
    public static KubernetesClientConfiguration CreateClientConfiguration(this KubernetesApiServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new()
        {
            Host = server.BaseUri.ToString().TrimEnd('/'),
            AccessToken = server.BearerToken,
            SslCaCerts = [server.CreateAuthorityCertificate()],
        };
    }

    /// <summary>A KubernetesClient connected to <paramref name="server"/> (trusting only the sandbox CA).</summary>
    public static IKubernetes CreateClient(this KubernetesApiServer server) => new k8s.Kubernetes(server.CreateClientConfiguration());
}
