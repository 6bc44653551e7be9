using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using AzureWorkloadIdentity.Cli;
using AzureWorkloadIdentity.Cli.Output;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Quickstart;
using AzureWorkloadIdentity.Sandbox.SelfManaged;
using AzureWorkloadIdentity.TestUtilities;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// The self-managed documentation's set-up on one machine: a sandbox (Entra ID, Resource Manager, Blob Storage), a
/// storage account with a public container whose URL is the issuer, key pairs made with openssl, the issuer documents
/// made by azwi and uploaded with the Blob SDK, a user-assigned identity federated with the issuer, and — once
/// started — a cluster whose service-account issuer is the container URL and whose signer uses the key files.
/// </summary>
internal sealed class SelfManagedEnvironment : IAsyncDisposable
{
    public const string Namespace = "default";
    public const string ServiceAccount = "workload";

    private readonly HttpClientTransport _transport;

    private SelfManagedEnvironment(SandboxHost host, BlobContainerClient container, string directory, string clientId, HttpClientTransport transport)
    {
        Host = host;
        Container = container;
        Directory = directory;
        ClientId = clientId;
        _transport = transport;
    }

    public SandboxHost Host { get; }

    public BlobContainerClient Container { get; }

    /// <summary>The issuer URL: the container's URL with a trailing slash, as the documentation's SERVICE_ACCOUNT_ISSUER.</summary>
    public string Issuer => Container.Uri + "/";

    public string Directory { get; }

    public string ClientId { get; }

    public SelfManagedCluster? Cluster { get; private set; }

    public string KubeconfigPath => Path.Combine(Directory, "kubeconfig");

    public string File(string name) => Path.Combine(Directory, name);

    /// <summary>Starts the sandbox and the storage, and federates an identity with <paramref name="federatedIssuer"/> (default: the container URL + '/').</summary>
    public static async Task<SelfManagedEnvironment> StartAsync(TimeProvider time, Func<string, string>? federatedIssuer = null)
    {
        var host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero, TimeProvider = time });
        try
        {
            var directory = Path.Combine(host.WorkDirectory, "self-managed");
            System.IO.Directory.CreateDirectory(directory);
            var az = new AzureCliStandIn(host);
            var transport = new HttpClientTransport(new HttpClient(host.Tls.CreateTrustingHandler()));

            // az storage account create; az storage container create --public-access container
            var account = host.Storage.CreateAccount("oidcissuer" + Guid.NewGuid().ToString("N")[..8]);
            var service = new BlobServiceClient(account, az.Credential, new BlobClientOptions { Transport = transport });
            var container = service.GetBlobContainerClient("oidc-test");
            await container.CreateAsync(PublicAccessType.BlobContainer);

            await az.CreateResourceGroupAsync("rg", "westus2", CancellationToken.None);
            var (clientId, _) = await az.CreateIdentityAsync("rg", "self-managed", "westus2", CancellationToken.None);
            var issuer = container.Uri + "/";
            await az.CreateIdentityFederatedCredentialAsync(
                "rg", "self-managed", "kubernetes-federated-credential", federatedIssuer?.Invoke(issuer) ?? issuer,
                $"system:serviceaccount:{Namespace}:{ServiceAccount}", CancellationToken.None);
            return new SelfManagedEnvironment(host, container, directory, clientId, transport);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>openssl genrsa -out NAME.key 2048 &amp;&amp; openssl rsa -in NAME.key -pubout -out NAME.pub</c>.</summary>
    public Task<(string Key, string Pub)> GenerateKeyPairAsync(string name) => OpenSsl.GenerateRsaKeyPairAsync(Directory, name);

    /// <summary>Runs azwi in-process, trusting the sandbox's CA as SSL_CERT_FILE would.</summary>
    public async Task<(int ExitCode, string Out, string Error)> AzwiAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var services = new CliServices(new CliConsole(stdout, stderr), TimeProvider.System) { CreateHttpHandler = Host.Tls.CreateTrustingHandler };
        var exitCode = await CliApplication.InvokeAsync(args, services, timeout.Token);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs azwi and asserts it succeeded.</summary>
    public async Task<string> AzwiOkAsync(params string[] args)
    {
        var (exitCode, output, error) = await AzwiAsync(args);
        Assert.True(exitCode == 0, $"azwi {string.Join(' ', args)} exited {exitCode}:\n{output}\n{error}");
        return output;
    }

    /// <summary><c>azwi oidc verify … -o json</c>, parsed.</summary>
    public async Task<(int ExitCode, JsonObject Report)> VerifyAsync(params string[] args)
    {
        var (exitCode, output, error) = await AzwiAsync(["oidc", "verify", "--issuer-url", Issuer, "--output", "json", .. args]);
        var report = output.Length == 0 ? null : JsonNode.Parse(output) as JsonObject;
        Assert.True(report is not null, $"azwi oidc verify wrote no JSON report:\n{output}\n{error}");
        return (exitCode, report);
    }

    /// <summary><c>az storage blob upload --container-name … --file FILE --name NAME --overwrite</c>, with the Blob SDK.</summary>
    /// <remarks>A fresh sign-in each time: the tests move the sandbox's clock past the lifetime of a cached token.</remarks>
    public async Task UploadAsync(string file, string name)
    {
        var container = new BlobContainerClient(Container.Uri, new AzureCliStandIn(Host).Credential, new BlobClientOptions { Transport = _transport });
        await container.GetBlobClient(name).UploadAsync(file, overwrite: true);
    }

    /// <summary>
    /// The documentation's publishing steps: <c>azwi oidc discovery</c> for <paramref name="documentIssuer"/> and
    /// <c>azwi jwks</c> for the public keys, uploaded as <paramref name="discoveryBlob"/> and <c>openid/v1/jwks</c>.
    /// </summary>
    public async Task PublishAsync(string documentIssuer, IEnumerable<string> publicKeys, string discoveryBlob = ".well-known/openid-configuration")
    {
        var discovery = File("openid-configuration.json");
        var jwks = File("jwks.json");
        await AzwiOkAsync("oidc", "discovery", "--issuer-url", documentIssuer, "--output-file", discovery);
        await AzwiOkAsync(["jwks", .. publicKeys.SelectMany(f => new[] { "--public-keys", f }), "--output-file", jwks]);
        await UploadAsync(discovery, discoveryBlob);
        await UploadAsync(jwks, "openid/v1/jwks");
    }

    /// <summary>Creates the cluster (as <c>kind create cluster</c> with the documented kubeadm patches) and the service account.</summary>
    public async Task<SelfManagedCluster> StartClusterAsync(ServiceAccountKeyFlags flags, TimeProvider time)
    {
        Cluster = await SelfManagedCluster.StartAsync(Host.Tls, flags, KubeconfigPath, time);
        using var client = Cluster.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAccountAsync(
            new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = ServiceAccount } }, Namespace);
        return Cluster;
    }

    /// <summary>A projected-style token for the service account (audience api://AzureADTokenExchange), written to a file.</summary>
    public async Task<string> MintTokenFileAsync(string name, TimeSpan lifetime)
    {
        using var client = Cluster!.CreateClient();
        var answer = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest
            {
                Spec = new V1TokenRequestSpec { Audiences = ["api://AzureADTokenExchange"], ExpirationSeconds = (long)lifetime.TotalSeconds },
            },
            ServiceAccount, Namespace);
        var path = File(name + ".token");
        await System.IO.File.WriteAllTextAsync(path, answer.Status.Token);
        return path;
    }

    /// <summary>The Quick Start's exchange: WorkloadIdentityCredential reads the token file and asks Entra ID for a Resource Manager token.</summary>
    public async Task<Exception?> ExchangeAsync(string tokenFile)
    {
        var credential = new WorkloadIdentityCredential(new WorkloadIdentityCredentialOptions
        {
            ClientId = ClientId,
            TenantId = Host.Directory.TenantId,
            TokenFilePath = tokenFile,
            AuthorityHost = Host.AuthorityHost,
            DisableInstanceDiscovery = true,
            Transport = _transport,
        });
        try
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([SandboxHost.ResourceManagerAudience + ".default"]), CancellationToken.None);
            Assert.False(string.IsNullOrEmpty(token.Token));
            return null;
        }
        catch (AuthenticationFailedException exception)
        {
            return exception;
        }
    }

    public async Task AssertExchangeWorksAsync(string tokenFile)
    {
        var failure = await ExchangeAsync(tokenFile);
        Assert.True(failure is null, $"exchange of {Path.GetFileName(tokenFile)} failed: {failure}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        _transport.Dispose();
        await Host.DisposeAsync();
    }
}
