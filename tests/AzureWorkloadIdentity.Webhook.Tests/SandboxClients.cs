using System.Text;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s;

namespace AzureWorkloadIdentity.Webhook.Tests;

/// <summary>Clients of the webhook's own Kubernetes package (KubernetesClient.Aot) for the sandbox API server.</summary>
internal static class SandboxClients
{
    /// <summary>A client configured from the server's kubeconfig, as the webhook process itself would be.</summary>
    public static IKubernetes Create(KubernetesApiServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var kubeconfig = new MemoryStream(Encoding.UTF8.GetBytes(server.KubeconfigYaml()));
        return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    }
}
