using System.Text.Json;
using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Output;
using k8s;
using Microsoft.Graph.Models;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// The inputs of one create/delete invocation and the connections its phases share. Connections are opened on first
/// use, so every phase's pre-run (flag checks only) completes before anything is contacted or changed.
/// </summary>
public sealed class ServiceAccountContext(CliServices services, CliLog log, Func<CancellationToken, Task<AzureConnection>> connect) : IDisposable
{
    private AzureConnection? _azure;
    private IKubernetes? _kubernetes;
    private string? _issuer;

    public CliServices Services { get; } = services;

    public CliLog Log { get; } = log;

    public string? ServiceAccountName { get; init; }

    public string ServiceAccountNamespace { get; init; } = "default";

    public string? IssuerUrl { get; init; }

    public TimeSpan TokenExpiration { get; init; } = TimeSpan.FromHours(1);

    public string? ApplicationName { get; init; }

    public string? ApplicationClientId { get; init; }

    public string? ApplicationObjectId { get; init; }

    public string? ServicePrincipalName { get; init; }

    public string? ServicePrincipalObjectId { get; init; }

    public string? AzureScope { get; init; }

    public string? AzureRole { get; init; }

    public string? RoleAssignmentId { get; init; }

    /// <summary>A user-assigned managed identity instead of an application (with <see cref="ResourceGroup"/>).</summary>
    public string? UserAssignedIdentityName { get; init; }

    public string? ResourceGroup { get; init; }

    public string Location { get; init; } = "eastus";

    public bool IsManagedIdentity => !string.IsNullOrEmpty(UserAssignedIdentityName);

    /// <summary>Every phase that touches the service account or its federated credential needs both names.</summary>
    public void RequireServiceAccount()
    {
        if (string.IsNullOrEmpty(ServiceAccountNamespace))
        {
            throw new CliUsageException("--service-account-namespace is required");
        }

        if (string.IsNullOrEmpty(ServiceAccountName))
        {
            throw new CliUsageException("--service-account-name is required");
        }
    }

    /// <summary>
    /// The pre-checks creating and deleting a federated credential share: the service account, the issuer, and the
    /// identity the credential belongs to (resource group of a user-assigned identity, or the application).
    /// </summary>
    public async Task<string> FederatedIdentityIssuerAsync(CancellationToken cancellationToken)
    {
        RequireServiceAccount();
        var issuer = await IssuerAsync(cancellationToken).ConfigureAwait(false);
        if (IsManagedIdentity)
        {
            RequireResourceGroup();
        }
        else if (string.IsNullOrEmpty(ApplicationObjectId))
        {
            await ApplicationNameAsync(cancellationToken).ConfigureAwait(false);
        }

        return issuer;
    }

    public void RequireResourceGroup()
    {
        if (string.IsNullOrEmpty(ResourceGroup))
        {
            throw new CliUsageException("--resource-group is required with --user-assigned-identity-name");
        }
    }

    /// <summary>
    /// The pre-check creating and deleting role assignments share: something that names the principal (a
    /// user-assigned identity with its resource group, the service principal's name or object id, or the application
    /// name it defaults to).
    /// </summary>
    public async Task RequirePrincipalAsync(CancellationToken cancellationToken)
    {
        if (IsManagedIdentity)
        {
            RequireResourceGroup();
            return;
        }

        if (!string.IsNullOrEmpty(ServicePrincipalObjectId) || !string.IsNullOrEmpty(ServicePrincipalName))
        {
            return;
        }

        try
        {
            await ApplicationNameAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException)
        {
            throw new CliUsageException("--service-principal-name or --service-principal-object-id is required");
        }
    }

    /// <summary>
    /// The principal that role assignments name: <c>--service-principal-object-id</c>, the identity's principal id, or
    /// the service principal found by name; <c>Id</c> is null when it does not exist, <c>Missing</c> says which.
    /// </summary>
    public async Task<(string? Id, string Missing)> FindPrincipalAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(ServicePrincipalObjectId))
        {
            return (ServicePrincipalObjectId, string.Empty);
        }

        if (IsManagedIdentity)
        {
            var identity = await FindIdentityAsync(cancellationToken).ConfigureAwait(false);
            return (identity?.PrincipalId, $"user-assigned identity {UserAssignedIdentityName} not found");
        }

        var name = string.IsNullOrEmpty(ServicePrincipalName)
            ? await ApplicationNameAsync(cancellationToken).ConfigureAwait(false)
            : ServicePrincipalName;
        var principal = await FindServicePrincipalAsync(name, cancellationToken).ConfigureAwait(false);
        return (principal?.Id, $"service principal {name} not found");
    }

    /// <summary>The identity's client and principal ids, or null when it does not exist.</summary>
    public async Task<(string ClientId, string PrincipalId)?> FindIdentityAsync(CancellationToken cancellationToken)
    {
        var azure = await AzureAsync(cancellationToken).ConfigureAwait(false);
        var identity = await ManagedIdentityCalls.GetIdentityAsync(azure, ResourceGroup!, UserAssignedIdentityName!, cancellationToken).ConfigureAwait(false);
        return identity is null ? null : IdsOf(identity);
    }

    public static (string ClientId, string PrincipalId) IdsOf(System.Text.Json.Nodes.JsonNode identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var properties = identity["properties"];
        return (properties?["clientId"]?.GetValue<string>() ?? string.Empty, properties?["principalId"]?.GetValue<string>() ?? string.Empty);
    }

    public string Subject => WorkloadIdentityNames.Subject(ServiceAccountNamespace, ServiceAccountName!);

    public async Task<AzureConnection> AzureAsync(CancellationToken cancellationToken) =>
        _azure ??= await connect(cancellationToken).ConfigureAwait(false);

    public IKubernetes Kubernetes()
    {
        if (_kubernetes is not null)
        {
            return _kubernetes;
        }

        try
        {
            var kubeconfig = Services.GetEnvironmentVariable("KUBECONFIG");
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

    /// <summary>
    /// The issuer URL from the flag, or read byte for byte from the cluster's <c>/.well-known/openid-configuration</c>
    /// (a trailing-slash difference from the token's <c>iss</c> fails the exchange with AADSTS70021).
    /// </summary>
    public async Task<string> IssuerAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(IssuerUrl))
        {
            return IssuerUrl;
        }

        if (_issuer is not null)
        {
            return _issuer;
        }

        var client = (k8s.Kubernetes)Kubernetes();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, ".well-known/openid-configuration"));
        var token = client.Credentials is null ? null : await GetBearerAsync(client, cancellationToken).ConfigureAwait(false);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliUsageException(
                $"--service-account-issuer-url not given and the cluster's /.well-known/openid-configuration answered {(int)response.StatusCode}; pass --service-account-issuer-url");
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        _issuer = document.RootElement.TryGetProperty("issuer", out var issuer) && issuer.GetString() is { Length: > 0 } value
            ? value
            : throw new CliUsageException("the cluster's /.well-known/openid-configuration has no issuer; pass --service-account-issuer-url");
        Log.Info("using the issuer URL from the cluster", ("issuerURL", _issuer));
        return _issuer;
    }

    /// <summary>The AAD application name: the flag, or <c>&lt;ns&gt;-&lt;name&gt;-&lt;hash of issuer&gt;</c>.</summary>
    public async Task<string> ApplicationNameAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(ApplicationName))
        {
            return ApplicationName;
        }

        if (string.IsNullOrEmpty(ServiceAccountName) || string.IsNullOrEmpty(ServiceAccountNamespace))
        {
            throw new CliUsageException("--aad-application-name is required (or pass --service-account-name to derive it)");
        }

        var issuer = await IssuerAsync(cancellationToken).ConfigureAwait(false);
        Log.Warning("--aad-application-name not specified, constructing name with service account namespace, name, and the hash of the issuer URL");
        return WorkloadIdentityNames.ApplicationName(ServiceAccountNamespace, ServiceAccountName, issuer);
    }

    public async Task<Application?> FindApplicationAsync(string displayName, CancellationToken cancellationToken)
    {
        var azure = await AzureAsync(cancellationToken).ConfigureAwait(false);
        var found = await azure.Graph.Applications.GetAsync(
            r => r.QueryParameters.Filter = ODataFilter.Equal("displayName", displayName), cancellationToken).ConfigureAwait(false);
        return found?.Value?.FirstOrDefault();
    }

    public async Task<ServicePrincipal?> FindServicePrincipalAsync(string displayName, CancellationToken cancellationToken)
    {
        var azure = await AzureAsync(cancellationToken).ConfigureAwait(false);
        var found = await azure.Graph.ServicePrincipals.GetAsync(
            r => r.QueryParameters.Filter = ODataFilter.Equal("displayName", displayName), cancellationToken).ConfigureAwait(false);
        return found?.Value?.FirstOrDefault();
    }

    public void Dispose()
    {
        _azure?.Dispose();
        _kubernetes?.Dispose();
    }

    private static async Task<string?> GetBearerAsync(k8s.Kubernetes client, CancellationToken cancellationToken)
    {
        using var probe = new HttpRequestMessage(HttpMethod.Get, client.BaseUri);
        await client.Credentials.ProcessHttpRequestAsync(probe, cancellationToken).ConfigureAwait(false);
        return probe.Headers.Authorization?.Parameter;
    }
}
