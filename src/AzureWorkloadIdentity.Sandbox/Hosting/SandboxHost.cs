using System.Text.Json;
using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.Entra;
using AzureWorkloadIdentity.Sandbox.Graph;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubelet.Containers;
using AzureWorkloadIdentity.Sandbox.Kubelet.Streaming;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;
using AzureWorkloadIdentity.Sandbox.Oidc;
using AzureWorkloadIdentity.Sandbox.Primitives;
using AzureWorkloadIdentity.Sandbox.ResourceManager;
using AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;
using AzureWorkloadIdentity.Sandbox.Storage;
using AzureWorkloadIdentity.Sandbox.Vaults;

namespace AzureWorkloadIdentity.Sandbox.Hosting;

/// <summary>
/// The whole sandbox on loopback: Entra ID, the cluster's OIDC issuer, Microsoft Graph, Resource Manager, Key Vault
/// and the Kubernetes API subset, each on its own HTTPS origin signed by one local CA, sharing one cloud directory.
/// Start it in-process (tests) or through the <c>serve</c> and <c>quickstart</c> commands.
/// </summary>
internal sealed class SandboxHost : IAsyncDisposable
{
    /// <summary>Resource Manager's audience, as the Azure SDKs ask for it.</summary>
    public const string ResourceManagerAudience = "https://management.azure.com/";

    private readonly List<IAsyncDisposable> _servers = [];
    private readonly SandboxOptions _options;

    private SandboxHost(SandboxOptions options, SandboxDirectory directory, SandboxTls tls, string workDirectory)
    {
        _options = options;
        Directory = directory;
        Tls = tls;
        WorkDirectory = workDirectory;
        AccessTokens = new AccessTokenIssuer(directory.TenantId, options.TimeProvider, lifetime: options.AccessTokenLifetime);
    }

    public SandboxDirectory Directory { get; }

    public SandboxTls Tls { get; }

    public string WorkDirectory { get; }

    public AccessTokenIssuer AccessTokens { get; }

    /// <summary>Makes the token endpoint fail (unreachable, slow, 5xx, 429) until set back to none.</summary>
    public EntraFaults EntraFaults { get; } = new();

    public ServiceAccountIssuer Issuer { get; private set; } = null!;

    public KubernetesApiServer Kubernetes { get; private set; } = null!;

    /// <summary>
    /// Where the API server finds running pods for <c>kubectl logs</c>, <c>exec</c> and <c>port-forward</c>: pass it
    /// as <see cref="KubeletOptions.StreamingServer"/> to whatever runs the sandbox's pods.
    /// </summary>
    public KubeletStreamingServer KubeletStreams { get; } = new();

    public KeyVaultService KeyVaults { get; private set; } = null!;

    /// <summary>Blob Storage with public-read containers: where a self-managed cluster's issuer documents are hosted.</summary>
    public BlobStorageService Storage { get; private set; } = null!;

    /// <summary>Entra ID's authority host, e.g. <c>https://127.0.0.1:41001/</c>.</summary>
    public Uri AuthorityHost { get; private set; } = null!;

    /// <summary>Microsoft Graph's base URL including the version, e.g. <c>https://127.0.0.1:41002/v1.0</c>.</summary>
    public Uri GraphEndpoint { get; private set; } = null!;

    /// <summary>Resource Manager's endpoint, e.g. <c>https://127.0.0.1:41003/</c>.</summary>
    public Uri ResourceManagerEndpoint { get; private set; } = null!;

    /// <summary>The cluster's service-account issuer URL, byte for byte (with its trailing slash, as AKS's).</summary>
    public string IssuerUrl => Issuer.IssuerString;

    public SandboxOperator Operator { get; private set; } = null!;

    /// <summary>The node's kubelet with <see cref="SandboxOptions.RunPods"/>, else null.</summary>
    public KubeletSyncLoop? Kubelet { get; private set; }

    /// <summary>The loopback ports of the sandbox's services (Entra ID, Graph, Resource Manager, issuer, storage, vaults).</summary>
    public IReadOnlyCollection<int> ServicePorts() =>
        [AuthorityHost.Port, GraphEndpoint.Port, ResourceManagerEndpoint.Port, new Uri(IssuerUrl).Port, Storage.AccountUri("any").Port, .. KeyVaults.Ports];

    /// <summary>PEM file with the sandbox CA followed by the system's roots, for <c>SSL_CERT_FILE</c>.</summary>
    public string CaBundlePath => Path.Combine(WorkDirectory, "ca-bundle.pem");

    /// <summary>PEM file with the sandbox CA alone.</summary>
    public string CaPath => Path.Combine(WorkDirectory, "ca.pem");

    /// <summary>The custom-cloud JSON for <c>AZURE_ENVIRONMENT_FILEPATH</c>.</summary>
    public string CloudConfigurationPath => Path.Combine(WorkDirectory, "cloud.json");

    /// <summary>The operator's client secret, in a file only the owner can read (never printed).</summary>
    public string OperatorSecretPath => Path.Combine(WorkDirectory, "operator-secret");

    /// <summary>A kubeconfig for the Kubernetes API subset.</summary>
    public string KubeconfigPath => Path.Combine(WorkDirectory, "kubeconfig");

    public static async Task<SandboxHost> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        string work;
        if (options.WorkDirectory is { } named)
        {
            work = named;
            System.IO.Directory.CreateDirectory(work);
        }
        else
        {
            TemporaryWorkFolders.RemoveAbandoned();
            work = TemporaryWorkFolders.Create();
        }

        var directory = new SandboxDirectory(
            options.TenantId ?? Guid.NewGuid().ToString(), options.SubscriptionId ?? Guid.NewGuid().ToString(), options.TimeProvider);
        if (options.StateFile is not null && File.Exists(options.StateFile))
        {
            directory.Restore(SandboxState.Load(options.StateFile));
        }

        var host = new SandboxHost(options, directory, SandboxTls.Create(options.TimeProvider), work);
        try
        {
            await host.StartServersAsync(cancellationToken);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    private async Task StartServersAsync(CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var issuerHttp = new HttpClient(Tls.CreateTrustingHandler()) { Timeout = TimeSpan.FromSeconds(10) };
        var tokenEndpoint = new TokenEndpoint(Directory, AccessTokens, new IssuerKeyResolver(issuerHttp, time), time, EntraFaults);
        var entra = await Start(app => app.MapEntra(tokenEndpoint, AccessTokens), cancellationToken);
        AuthorityHost = entra.BaseUri;

        // The issuer has a path, as AKS's and a self-managed bucket's do, and a trailing slash, byte for byte.
        var issuerPath = "/" + Guid.NewGuid().ToString() + "/";
        var signingKey = _options.ServiceAccountSigningKeyPem is { } pem ? SigningKey.FromPem(pem) : SigningKey.Generate();
        var issuerServer = await Start(app => app.MapServiceAccountIssuer(issuerPath, () => Issuer), cancellationToken);
        Issuer = new ServiceAccountIssuer(new Uri(issuerServer.BaseUri, issuerPath).ToString(), signingKey);

        var graph = await Start(app => app.MapGraph(Directory, AccessTokens), cancellationToken);
        GraphEndpoint = new Uri(graph.BaseUri, "v1.0");

        Storage = await BlobStorageService.StartAsync(Tls, AccessTokens, time, cancellationToken);
        _servers.Add(Storage);

        KeyVaults = new KeyVaultService(Directory, AccessTokens, Tls, () => AuthorityHost);
        _servers.Add(KeyVaults);
        var arm = await Start(
            app => app.MapResourceManager(Directory, AccessTokens, new ResourceManagerOptions
            {
                AuthorityHost = AuthorityHost,
                PrincipalReplicationDelay = _options.PrincipalReplicationDelay,
                VaultUri = KeyVaults.UriFor,
            }),
            cancellationToken);
        ResourceManagerEndpoint = arm.BaseUri;

        var kubernetesOptions = new KubernetesApiServerOptions { Tls = Tls, TokenSigner = Issuer, TimeProvider = time, Kubelet = KubeletStreams };
        kubernetesOptions.Admission.Add(new MutatingWebhookAdmission());
        Kubernetes = await KubernetesApiServer.StartAsync(kubernetesOptions, cancellationToken);
        _servers.Add(Kubernetes);
        _servers.Add(WorkloadControllers.Start(Kubernetes));
        _servers.Add(EndpointsController.Start(Kubernetes));

        Operator = SeedOperator();
        await WriteFilesAsync(cancellationToken);
        if (_options.RunPods)
        {
            // After the files: every container gets the CA bundle written there.
            StartKubelet();
        }
    }

    /// <summary>The node: pods run as OCI containers in their own networks, reaching the API server as the kubernetes Service.</summary>
    private void StartKubelet()
    {
        if (ContainerRuntimeSelector.PodmanUnavailableReason is { } reason)
        {
            throw new InvalidOperationException($"running pods needs OCI containers: {reason}");
        }

        var client = Kubernetes.CreateClient();
        var runner = new PodmanContainerRunner(CaTrustEnvironment());
        var kubelet = new LocalKubelet(client, Path.Combine(WorkDirectory, "pods")) { ApiServerPort = Kubernetes.BaseUri.Port };
        _servers.Add(runner);
        _servers.Add(kubelet);
        Kubelet = new KubeletSyncLoop(client, kubelet, runner, ServicePorts, new KubeletOptions { StreamingServer = KubeletStreams, Events = Kubernetes.Events });
        _servers.Add(Kubelet);
    }

    private async Task<LoopbackHttpsServer> Start(Action<Microsoft.AspNetCore.Builder.WebApplication> map, CancellationToken cancellationToken)
    {
        var server = await LoopbackHttpsServer.StartAsync(Tls, map, cancellationToken: cancellationToken);
        _servers.Add(server);
        return server;
    }

    /// <summary>Creates (or finds, with a loaded state) the operator application with its secret and roles.</summary>
    private SandboxOperator SeedOperator()
    {
        const string OperatorName = "sandbox-operator";
        return Directory.Update(state =>
        {
            var existing = state.Applications.Values.FirstOrDefault(a => a.DisplayName == OperatorName && a.Secrets.Count > 0);
            var principal = existing is null ? null : state.ServicePrincipals.Values.FirstOrDefault(p => p.AppId == existing.AppId);
            if (existing is not null && principal is not null)
            {
                return (state, new SandboxOperator(existing.AppId, existing.Secrets[0], principal.ObjectId));
            }

            var now = Directory.Time.GetUtcNow();
            var app = new Application(
                Directory.TenantId, Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), OperatorName, now, [],
                [Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(30))]);
            var sp = new ServicePrincipal(Directory.TenantId, Guid.NewGuid().ToString(), app.AppId, OperatorName, now - TimeSpan.FromHours(1));
            var scope = $"/subscriptions/{Directory.SubscriptionId}";
            var assignments = state.RoleAssignments;
            foreach (var role in new[] { BuiltInRoles.Owner, BuiltInRoles.KeyVaultAdministrator })
            {
                var name = Guid.NewGuid().ToString();
                var id = $"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}";
                assignments = assignments.With(id, new RoleAssignment(id, name, scope, role.IdAt(Directory.SubscriptionId), sp.ObjectId, "ServicePrincipal"));
            }

            var next = state with
            {
                Applications = state.Applications.With(app.ObjectId, app),
                ServicePrincipals = state.ServicePrincipals.With(sp.ObjectId, sp),
                RoleAssignments = assignments,
            };
            return (next, new SandboxOperator(app.AppId, app.Secrets[0], sp.ObjectId));
        });
    }

    private async Task WriteFilesAsync(CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(CaPath, Tls.CaPem, cancellationToken);
        const string SystemRoots = "/etc/ssl/certs/ca-certificates.crt";
        var roots = File.Exists(SystemRoots) ? await File.ReadAllTextAsync(SystemRoots, cancellationToken) : string.Empty;
        await File.WriteAllTextAsync(CaBundlePath, Tls.CaPem + "\n" + roots, cancellationToken);
        var cloud = CloudConfigurationFile.Create("AzureStackCloud", AuthorityHost, ResourceManagerEndpoint, GraphEndpoint, ResourceManagerAudience);
        await File.WriteAllTextAsync(CloudConfigurationPath, cloud.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        Kubernetes.WriteKubeconfig(KubeconfigPath);
        await File.WriteAllTextAsync(OperatorSecretPath, Operator.ClientSecret, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(OperatorSecretPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>
    /// What makes a process trust the sandbox CA: <c>SSL_CERT_FILE</c> (.NET on Linux, OpenSSL), <c>REQUESTS_CA_BUNDLE</c>
    /// (Python's requests, under MSAL and azure-core; it replaces the default roots, hence the whole bundle) and
    /// <c>NODE_EXTRA_CA_CERTS</c> (Node.js, added to its built-in roots).
    /// </summary>
    public IReadOnlyDictionary<string, string> CaTrustEnvironment() => new Dictionary<string, string>
    {
        ["SSL_CERT_FILE"] = CaBundlePath,
        ["REQUESTS_CA_BUNDLE"] = CaBundlePath,
        ["NODE_EXTRA_CA_CERTS"] = CaPath,
    };

    /// <summary>The environment that points the Azure SDKs, azwi, the webhook and kubectl at this sandbox.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment() =>
    [
        new("AZURE_TENANT_ID", Directory.TenantId),
        new("AZURE_SUBSCRIPTION_ID", Directory.SubscriptionId),
        new("AZURE_AUTHORITY_HOST", AuthorityHost.ToString()),
        new("AZURE_ENVIRONMENT", "AzureStackCloud"),
        new("AZURE_ENVIRONMENT_FILEPATH", CloudConfigurationPath),
        new("AZURE_CLIENT_ID", Operator.ClientId),
        new("AZURE_CLIENT_SECRET", Operator.ClientSecret),
        new("AZURE_DISABLE_INSTANCE_DISCOVERY", "true"),
        new("KEYVAULT_DISABLE_CHALLENGE_RESOURCE_VERIFICATION", "true"),
        new("KUBECONFIG", KubeconfigPath),
        new("SERVICE_ACCOUNT_ISSUER", IssuerUrl),
        .. CaTrustEnvironment(),
    ];

    /// <summary>Saves the cloud state to the configured state file, if any.</summary>
    public void SaveState()
    {
        if (_options.StateFile is { } file)
        {
            SandboxState.Save(file, Directory.Snapshot);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _servers.Count - 1; i >= 0; i--)
        {
            await _servers[i].DisposeAsync();
        }

        Issuer?.Dispose();
        AccessTokens.Dispose();
        Tls.Dispose();

        // A folder the host made for itself goes with it unless it was asked to keep it; one the caller named
        // (--work-dir) is the caller's to keep.
        if (_options.WorkDirectory is null && _options.KeepWorkDirectory)
        {
            TemporaryWorkFolders.Keep(WorkDirectory);
        }
        else if (_options.WorkDirectory is null)
        {
            try
            {
                System.IO.Directory.Delete(WorkDirectory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a process of a pod may still hold a file; the folder is in the temp directory.
            }
        }
    }
}
