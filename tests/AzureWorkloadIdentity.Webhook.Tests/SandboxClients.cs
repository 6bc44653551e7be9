using System.Text;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Webhook.KubernetesApi;
using k8s;

namespace AzureWorkloadIdentity.Webhook.Tests;

/// <summary>Clients for the sandbox API server, configured from its kubeconfig as the webhook process itself would be.</summary>
internal static class SandboxClients
{
    /// <summary>The webhook's own connection (what its service-account cache and certificate rotation use).</summary>
    public static KubernetesApiClient CreateApi(KubernetesApiServer server) => new(Configuration(server));

    /// <summary>A typed client of the same package, for arranging and inspecting the cluster in tests.</summary>
    public static IKubernetes Create(KubernetesApiServer server) => new Kubernetes(Configuration(server));

    private static KubernetesClientConfiguration Configuration(KubernetesApiServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var kubeconfig = new MemoryStream(Encoding.UTF8.GetBytes(server.KubeconfigYaml()));
        return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
    }
}
