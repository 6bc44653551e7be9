using System.Security.Cryptography.X509Certificates;
using System.Text;
using AzureWorkloadIdentity.Sandbox.Primitives;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// A Kubernetes API subset on 127.0.0.1 over HTTPS (the sandbox CA): a generic object store for any
/// group/version/resource with the wire protocol KubernetesClient and kubectl expect. Start it with
/// <see cref="StartAsync"/>, connect with <c>CreateClient</c> (Sandbox.Kubelet) or a kubeconfig from <see cref="WriteKubeconfig"/>.
/// </summary>
public sealed class KubernetesApiServer : IAsyncDisposable
{
    private readonly LoopbackHttpsServer _server;
    private readonly SandboxTls _tls;
    private readonly bool _ownsTls;

    private KubernetesApiServer(LoopbackHttpsServer server, SandboxTls tls, bool ownsTls, ObjectStore store, ResourceCatalog catalog, ApiRequestCounters requests, string bearerToken)
    {
        _server = server;
        _tls = tls;
        _ownsTls = ownsTls;
        BaseUri = server.BaseUri;
        Store = store;
        Catalog = catalog;
        Requests = requests;
        BearerToken = bearerToken;
    }

    /// <summary>The server's address, e.g. <c>https://127.0.0.1:40123/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The objects, for tests and sandbox code that act as a controller would (no HTTP round trip, not counted).</summary>
    public ObjectStore Store { get; }

    public ResourceCatalog Catalog { get; }

    /// <summary>Requests served, per verb and resource.</summary>
    public ApiRequestCounters Requests { get; }

    public string BearerToken { get; }

    /// <summary>The CA certificate (PEM) clients must trust.</summary>
    public string CaPem => _tls.CaPem;

    public static async Task<KubernetesApiServer> StartAsync(KubernetesApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubernetesApiServerOptions();
        var ownsTls = options.Tls is null;
        var tls = options.Tls ?? SandboxTls.Create(options.TimeProvider);
        try
        {
            var store = new ObjectStore(options.WatchHistoryLimit, options.WatchBuffer, options.TimeProvider) { RequireNamespaces = options.RequireNamespaces };
            var catalog = new ResourceCatalog();
            var requests = new ApiRequestCounters();
            var handler = new KubernetesApiHandler(store, catalog, requests, options);

            var server = await LoopbackHttpsServer.StartAsync(
                tls,
                app =>
                {
                    // kubectl 1.30+ runs exec and port-forward over WebSocket (KEP-4006).
                    app.UseWebSockets();
                    app.Run(handler.HandleAsync);
                },
                options.Port, cancellationToken, limits => limits.MaxRequestBodySize = 4 * 1024 * 1024);
            store.PublishRootCa(tls.CaPem);
            ClusterServices.CreateKubernetesService(store, server.BaseUri.Port);
            return new KubernetesApiServer(server, tls, ownsTls, store, catalog, requests, options.BearerToken);
        }
        catch
        {
            if (ownsTls)
            {
                tls.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// A kubeconfig (YAML) for this server: its CA as certificate-authority-data and the admin's bearer token, or
    /// <paramref name="token"/> (e.g. a service account's) instead.
    /// </summary>
    public string KubeconfigYaml(string @namespace = "default", string? token = null)
    {
        var ca = Convert.ToBase64String(Encoding.ASCII.GetBytes(_tls.CaPem));
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: {BaseUri.ToString().TrimEnd('/')}
                certificate-authority-data: {ca}
            users:
            - name: sandbox-admin
              user:
                token: {token ?? BearerToken}
            contexts:
            - name: sandbox
              context:
                cluster: sandbox
                user: sandbox-admin
                namespace: {@namespace}
            current-context: sandbox

            """;
    }

    /// <summary>Writes <see cref="KubeconfigYaml"/> to <paramref name="path"/> and returns the path.</summary>
    public string WriteKubeconfig(string path)
    {
        File.WriteAllText(path, KubeconfigYaml());
        return path;
    }

    /// <summary>The certificate of the authority that signed this server's (its clients trust only this one).</summary>
    public X509Certificate2 CreateAuthorityCertificate() => X509CertificateLoader.LoadCertificate(_tls.Authority.Certificate.RawData);

    /// <summary>An HTTP handler that trusts only the sandbox CA, for raw HTTP calls (discovery, issuer).</summary>
    public HttpClientHandler CreateTrustingHandler() => _tls.CreateTrustingHandler();

    public async Task StopAsync()
    {
        Store.DisconnectWatches();
        await _server.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Store.DisconnectWatches();
        await _server.DisposeAsync();
        if (_ownsTls)
        {
            _tls.Dispose();
        }
    }
}
