using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Oidc;

namespace AzureWorkloadIdentity.Sandbox.Tests.Entra;

/// <summary>A running sandbox with one application whose federated credential trusts the cluster's issuer.</summary>
internal sealed class WorkloadIdentityWorld : IAsyncDisposable
{
    public const string Namespace = "default";
    public const string ServiceAccount = "workload-identity-sa";
    public const string Audience = "api://AzureADTokenExchange";

    private WorkloadIdentityWorld(SandboxHost host, Application application)
    {
        Host = host;
        Application = application;
    }

    public SandboxHost Host { get; }

    public Application Application { get; }

    public string ClientId => Application.AppId;

    public static async Task<WorkloadIdentityWorld> StartAsync(Func<SandboxHost, FederatedCredential>? credential = null, TimeProvider? time = null)
    {
        var host = await SandboxHost.StartAsync(new SandboxOptions
        {
            PrincipalReplicationDelay = TimeSpan.Zero,
            TimeProvider = time ?? TimeProvider.System,
        });
        var fic = credential?.Invoke(host) ?? new FederatedCredential(
            Guid.NewGuid().ToString(), "kubernetes-federated-credential", host.IssuerUrl,
            $"system:serviceaccount:{Namespace}:{ServiceAccount}", [Audience]);
        var application = AddApplication(host.Directory, "workload", fic);
        return new WorkloadIdentityWorld(host, application);
    }

    public static Application AddApplication(SandboxDirectory directory, string name, params FederatedCredential[] credentials) =>
        directory.Update(state =>
        {
            var now = directory.Time.GetUtcNow();
            var app = new Application(directory.TenantId, Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), name, now, credentials, []);
            var sp = new ServicePrincipal(directory.TenantId, Guid.NewGuid().ToString(), app.AppId, name, now);
            return (state with
            {
                Applications = state.Applications.With(app.ObjectId, app),
                ServicePrincipals = state.ServicePrincipals.With(sp.ObjectId, sp),
            }, app);
        });

    public string PrincipalIdOf(string appId) =>
        Host.Directory.Snapshot.ServicePrincipals.Values.Single(p => p.AppId == appId).ObjectId;

    /// <summary>A token as the kubelet would project it, signed by <paramref name="issuer"/> (the cluster's by default).</summary>
    public string MintToken(
        ServiceAccountIssuer? issuer = null, string? subjectName = null, string audience = Audience, TimeSpan? age = null, TimeSpan? lifetime = null)
    {
        var issuedAt = Host.Directory.Time.GetUtcNow() - (age ?? TimeSpan.Zero);
        return (issuer ?? Host.Issuer).Sign(new ServiceAccountTokenClaims(
            Namespace, subjectName ?? ServiceAccount, Guid.NewGuid().ToString(), [audience], issuedAt, issuedAt + (lifetime ?? TimeSpan.FromHours(1))));
    }

    public string WriteTokenFile(string token)
    {
        var path = Path.Combine(Host.WorkDirectory, "token-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, token);
        return path;
    }

    public HttpClientTransport Transport() => new(new HttpClient(Host.Tls.CreateTrustingHandler()));

    public WorkloadIdentityCredential WorkloadCredential(string tokenFile, string? clientId = null, string? tenantId = null) =>
        new(new WorkloadIdentityCredentialOptions
        {
            AuthorityHost = Host.AuthorityHost,
            ClientId = clientId ?? ClientId,
            TenantId = tenantId ?? Host.Directory.TenantId,
            TokenFilePath = tokenFile,
            DisableInstanceDiscovery = true,
            Transport = Transport(),
            Retry = { MaxRetries = 0 },
        });

    public ClientSecretCredential OperatorCredential() => new(
        Host.Directory.TenantId, Host.Operator.ClientId, Host.Operator.ClientSecret,
        new ClientSecretCredentialOptions { AuthorityHost = Host.AuthorityHost, DisableInstanceDiscovery = true, Transport = Transport() });

    public SecretClient SecretClient(Uri vault, TokenCredential credential) => new(vault, credential, new SecretClientOptions
    {
        DisableChallengeResourceVerification = true,
        Transport = Transport(),
        Retry = { MaxRetries = 0 },
    });

    /// <summary>Creates a vault in the directory (as Resource Manager would) and starts its data plane.</summary>
    public async Task<Uri> CreateVaultAsync(string name, IReadOnlyDictionary<string, IReadOnlyList<string>>? accessPolicies = null)
    {
        var directory = Host.Directory;
        directory.Update(state =>
        {
            var id = $"/subscriptions/{directory.SubscriptionId}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/{name}";
            var vault = new KeyVault(directory.TenantId, directory.SubscriptionId, "rg", name, id,
                new Dictionary<string, IReadOnlyList<SecretVersion>>(),
                accessPolicies ?? new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase));
            return (state with { Vaults = state.Vaults.With(name, vault) }, true);
        });
        return await Host.KeyVaults.UriForAsync(name, CancellationToken.None);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
