using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.Webhook.Configuration;
using k8s;

namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>Finds the Kubernetes API server the way the original webhook did.</summary>
internal static class KubernetesConnection
{
    /// <summary>
    /// In-cluster configuration when running in a pod (<c>KUBERNETES_SERVICE_HOST</c>) and no
    /// <c>--kubeconfig</c> is given; otherwise the first of <c>--kubeconfig</c>, <c>KUBECONFIG</c> (first entry),
    /// <c>~/.kube/config</c>.
    /// </summary>
    public static KubernetesClientConfiguration BuildConfiguration(WebhookConfiguration settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = settings.ServiceAccountCache.Kubeconfig;
        if (string.IsNullOrEmpty(path) && settings.Webhook.InCluster)
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        if (string.IsNullOrEmpty(path))
        {
            var fromEnvironment = settings.Webhook.KubeconfigVariable;
            path = string.IsNullOrEmpty(fromEnvironment)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config")
                : fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0];
        }

        if (!File.Exists(path))
        {
            throw new StartupException(WebhookSettings.Table.Program, [
                $"no Kubernetes connection: KUBERNETES_SERVICE_HOST is not set (not running in a pod) and the kubeconfig \"{path}\" does not exist; " +
                "set --kubeconfig or KUBECONFIG to a kubeconfig file, or run the webhook in a cluster"]);
        }

        return KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
    }
}
