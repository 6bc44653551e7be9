using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using Azure.Security.KeyVault.Secrets;
using AzureWorkloadIdentity.Sandbox.Hosting;

namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>
/// What the Quick Start does with the Azure CLI (<c>az group create</c>, <c>az keyvault …</c>, <c>az identity …</c>),
/// done with the real Azure SDKs against the sandbox, signed in as the sandbox's operator.
/// </summary>
internal sealed class AzureCliStandIn
{
    private const string KeyVaultApiVersion = "2023-07-01";
    private const string IdentityApiVersion = "2023-01-31";
    private readonly SandboxHost _host;
    private readonly ArmClient _arm;
    private readonly HttpPipeline _pipeline;

    public AzureCliStandIn(SandboxHost host)
    {
        _host = host;
        Credential = new ClientSecretCredential(host.Directory.TenantId, host.Operator.ClientId, host.Operator.ClientSecret,
            new ClientSecretCredentialOptions { AuthorityHost = host.AuthorityHost, DisableInstanceDiscovery = true, Transport = Transport() });
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(host.ResourceManagerEndpoint, SandboxHost.ResourceManagerAudience),
            Transport = Transport(),
        };
        options.SetApiVersion(new ResourceType("Microsoft.KeyVault/vaults"), KeyVaultApiVersion);
        options.SetApiVersion(new ResourceType("Microsoft.ManagedIdentity/userAssignedIdentities"), IdentityApiVersion);
        options.SetApiVersion(new ResourceType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials"), IdentityApiVersion);
        _arm = new ArmClient(Credential, host.Directory.SubscriptionId, options);
        _pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(Credential, options.Environment!.Value.DefaultScope));
    }

    public TokenCredential Credential { get; }

    private string Subscription => $"/subscriptions/{_host.Directory.SubscriptionId}";

    /// <summary><c>az group create --name … --location …</c></summary>
    public async Task<string> CreateResourceGroupAsync(string name, string location, CancellationToken cancellationToken)
    {
        var subscription = _arm.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(_host.Directory.SubscriptionId));
        var group = await subscription.GetResourceGroups().CreateOrUpdateAsync(
            WaitUntil.Completed, name, new ResourceGroupData(new AzureLocation(location)), cancellationToken);
        return group.Value.Id.ToString();
    }

    /// <summary><c>az keyvault create</c>; returns the vault's URI (<c>properties.vaultUri</c>).</summary>
    public async Task<Uri> CreateKeyVaultAsync(string resourceGroup, string name, string location, CancellationToken cancellationToken)
    {
        var data = new GenericResourceData(new AzureLocation(location))
        {
            Properties = BinaryData.FromObjectAsJson(new
            {
                tenantId = _host.Directory.TenantId,
                sku = new { family = "A", name = "standard" },
                accessPolicies = Array.Empty<object>(),
            }),
        };
        var vault = await _arm.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, new ResourceIdentifier(VaultId(resourceGroup, name)), data, cancellationToken);
        var properties = JsonNode.Parse(vault.Value.Data.Properties.ToString())!;
        return new Uri(properties["vaultUri"]!.GetValue<string>());
    }

    /// <summary><c>az keyvault secret set</c></summary>
    public async Task SetSecretAsync(Uri vault, string name, string value, CancellationToken cancellationToken) =>
        await SecretClient(vault).SetSecretAsync(name, value, cancellationToken);

    /// <summary><c>az keyvault set-policy --secret-permissions … --object-id …</c></summary>
    public async Task SetPolicyAsync(string resourceGroup, string vault, string objectId, string[] secretPermissions, CancellationToken cancellationToken)
    {
        var body = new
        {
            properties = new
            {
                accessPolicies = new[]
                {
                    new { tenantId = _host.Directory.TenantId, objectId, permissions = new { secrets = secretPermissions } },
                },
            },
        };
        await SendAsync(RequestMethod.Put, $"{VaultId(resourceGroup, vault)}/accessPolicies/add?api-version={KeyVaultApiVersion}", body, cancellationToken);
    }

    /// <summary><c>az identity create</c>; returns (client id, principal id).</summary>
    public async Task<(string ClientId, string PrincipalId)> CreateIdentityAsync(string resourceGroup, string name, string location, CancellationToken cancellationToken)
    {
        var identity = await _arm.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, new ResourceIdentifier(IdentityId(resourceGroup, name)), new GenericResourceData(new AzureLocation(location)), cancellationToken);
        var properties = JsonNode.Parse(identity.Value.Data.Properties.ToString())!;
        return (properties["clientId"]!.GetValue<string>(), properties["principalId"]!.GetValue<string>());
    }

    /// <summary><c>az identity federated-credential create</c></summary>
    public async Task CreateIdentityFederatedCredentialAsync(
        string resourceGroup, string identity, string name, string issuer, string subject, CancellationToken cancellationToken)
    {
        var body = new { properties = new { issuer, subject, audiences = new[] { Core.WorkloadIdentityDefaults.Audience } } };
        await SendAsync(RequestMethod.Put,
            $"{IdentityId(resourceGroup, identity)}/federatedIdentityCredentials/{name}?api-version={IdentityApiVersion}", body, cancellationToken);
    }

    /// <summary>
    /// <c>az ad sp list --display-name … --query '[0]'</c>: the quick start has no Graph client of its own, so this reads
    /// the sandbox's directory, which is what Graph would answer from.
    /// </summary>
    public (string AppId, string ObjectId) FindServicePrincipal(string displayName)
    {
        var principal = _host.Directory.Snapshot.ServicePrincipals.Values.FirstOrDefault(p => p.DisplayName == displayName)
            ?? throw new InvalidOperationException($"no service principal named \"{displayName}\" exists");
        return (principal.AppId, principal.ObjectId);
    }

    /// <summary><c>az group delete</c></summary>
    public async Task DeleteResourceGroupAsync(string name, CancellationToken cancellationToken) =>
        await SendAsync(RequestMethod.Delete, $"{Subscription}/resourceGroups/{name}?api-version=2022-09-01", null, cancellationToken);

    public SecretClient SecretClient(Uri vault, TokenCredential? credential = null) => new(vault, credential ?? Credential, new SecretClientOptions
    {
        // The sandbox's vault is on 127.0.0.1, not under vault.azure.net.
        DisableChallengeResourceVerification = true,
        Transport = Transport(),
    });

    private string VaultId(string resourceGroup, string name) => $"{Subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.KeyVault/vaults/{name}";

    private string IdentityId(string resourceGroup, string name) =>
        $"{Subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}";

    private async Task SendAsync(RequestMethod method, string pathAndQuery, object? body, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(_host.ResourceManagerEndpoint, pathAndQuery.TrimStart('/')));
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body));
        }

        await _pipeline.SendAsync(message, cancellationToken);
        if (message.Response.Status >= 400)
        {
            throw new RequestFailedException(message.Response);
        }
    }

    private HttpClientTransport Transport() => new(new HttpClient(_host.Tls.CreateTrustingHandler()));
}
