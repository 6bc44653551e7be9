using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Primitives;
using k8s;

namespace AzureWorkloadIdentity.Sandbox.SelfManaged;

/// <summary>
/// A sandbox cluster set up as the self-managed documentation says: its service-account issuer is a given URL (e.g.
/// a blob container) and its signer uses given key files. The issuer's documents are not served by the cluster — the
/// user publishes them, which is what <c>azwi oidc verify</c> checks.
/// </summary>
internal sealed class SelfManagedCluster : IAsyncDisposable
{
    private readonly FileKeySigner _signer;

    private SelfManagedCluster(KubernetesApiServer apiServer, FileKeySigner signer, string kubeconfigPath)
    {
        ApiServer = apiServer;
        _signer = signer;
        KubeconfigPath = kubeconfigPath;
    }

    public KubernetesApiServer ApiServer { get; }

    public string KubeconfigPath { get; }

    /// <summary>The key id tokens are signed with now.</summary>
    public string SigningKeyId => _signer.SigningKeyId;

    public static async Task<SelfManagedCluster> StartAsync(
        SandboxTls tls, ServiceAccountKeyFlags flags, string kubeconfigPath, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var signer = new FileKeySigner(flags);
        try
        {
            var server = await KubernetesApiServer.StartAsync(
                new KubernetesApiServerOptions { Tls = tls, TokenSigner = signer, TimeProvider = time ?? TimeProvider.System }, cancellationToken);
            server.WriteKubeconfig(kubeconfigPath);
            return new SelfManagedCluster(server, signer, kubeconfigPath);
        }
        catch
        {
            signer.Dispose();
            throw;
        }
    }

    public IKubernetes CreateClient() => ApiServer.CreateClient();

    /// <summary>
    /// Applies new key flags as editing <c>/etc/kubernetes/manifests/kube-apiserver.yaml</c> does: the API server
    /// restarts, keeps its objects, and signs and publishes with the new files.
    /// </summary>
    public void RestartWith(ServiceAccountKeyFlags flags) => _signer.Reload(flags);

    public async ValueTask DisposeAsync()
    {
        await ApiServer.DisposeAsync();
        _signer.Dispose();
    }
}
