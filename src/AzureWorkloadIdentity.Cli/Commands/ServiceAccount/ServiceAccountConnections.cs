using AzureWorkloadIdentity.Cli.Cloud;
using k8s;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// The Azure and Kubernetes clients of one run, each opened on first use, so every phase's pre-run (flag checks only)
/// completes before Entra ID, Graph or Resource Manager is contacted.
/// </summary>
internal sealed class ServiceAccountConnections(Func<string, string?> getEnvironmentVariable, Func<CancellationToken, Task<AzureConnection>> connect) : IDisposable
{
    private AzureConnection? _azure;
    private k8s.Kubernetes? _kubernetes;

    public async Task<AzureConnection> AzureAsync(CancellationToken cancellationToken) =>
        _azure ??= await connect(cancellationToken).ConfigureAwait(false);

    /// <summary>The client of KUBECONFIG's first file (or the default configuration); a bad configuration is a usage error.</summary>
    public k8s.Kubernetes Kubernetes()
    {
        if (_kubernetes is not null)
        {
            return _kubernetes;
        }

        try
        {
            var kubeconfig = getEnvironmentVariable("KUBECONFIG");
            var configuration = !string.IsNullOrEmpty(kubeconfig)
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig.Split(Path.PathSeparator)[0])
                : KubernetesClientConfiguration.BuildDefaultConfig();
            return _kubernetes = new k8s.Kubernetes(configuration);
        }
        catch (Exception exception) when (exception is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot build a Kubernetes client from KUBECONFIG or ~/.kube/config: {exception.Message}; point KUBECONFIG at your cluster");
        }
    }

    public void Dispose()
    {
        _azure?.Dispose();
        _kubernetes?.Dispose();
    }
}
