using k8s;

namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>Finds the Kubernetes API server the way the original webhook did.</summary>
public static class KubernetesConnection
{
    /// <summary>
    /// In-cluster configuration when <c>KUBERNETES_SERVICE_HOST</c> is set (running in a pod); otherwise the
    /// first of <paramref name="kubeconfigPath"/>, <c>KUBECONFIG</c> (first entry), <c>~/.kube/config</c>.
    /// </summary>
    public static KubernetesClientConfiguration BuildConfiguration(string? kubeconfigPath = null)
    {
        if (string.IsNullOrEmpty(kubeconfigPath) &&
            !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")))
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        var path = kubeconfigPath;
        if (string.IsNullOrEmpty(path))
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG");
            path = string.IsNullOrEmpty(fromEnvironment)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config")
                : fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0];
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"No Kubernetes connection: KUBERNETES_SERVICE_HOST is not set (not running in a pod) and the kubeconfig '{path}' does not exist. " +
                "Set KUBECONFIG or ServiceAccountCache:Kubeconfig to a kubeconfig file, or run the webhook in a cluster.");
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
    }
}
