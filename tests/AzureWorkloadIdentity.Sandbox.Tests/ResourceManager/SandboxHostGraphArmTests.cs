using System.Net;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.ResourceManager;
using AzureWorkloadIdentity.Sandbox.Hosting;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;
using Microsoft.Graph.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.ResourceManager;

/// <summary>
/// Graph and Resource Manager as the sandbox host composes them, with tokens from its Entra ID's token endpoint
/// (Azure.Identity's ClientSecretCredential signing in as the sandbox operator, as azwi's client_secret method does).
/// </summary>
public sealed class SandboxHostGraphArmTests : IAsyncLifetime
{
    private SandboxHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private ClientSecretCredential OperatorCredential() => new(
        _host.Directory.TenantId,
        _host.Operator.ClientId,
        _host.Operator.ClientSecret,
        new ClientSecretCredentialOptions
        {
            AuthorityHost = _host.AuthorityHost,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(new HttpClient(_host.Tls.CreateTrustingHandler())),
        });

    [Fact(Timeout = 60_000)]
    public async Task Graph_WithEntraToken_CreatesAndFindsApplication()
    {
        var authentication = new AzureIdentityAuthenticationProvider(
            OperatorCredential(), ["127.0.0.1"], null, true, "https://graph.microsoft.com/.default");
        using var graph = new GraphServiceClient(
            GraphClientFactory.Create(finalHandler: _host.Tls.CreateTrustingHandler()), authentication, _host.GraphEndpoint.ToString());

        var created = await graph.Applications.PostAsync(new Application { DisplayName = "end-to-end" });
        var found = await graph.Applications.GetAsync(r => r.QueryParameters.Filter = "displayName eq 'end-to-end'");

        Assert.Equal(created!.Id, Assert.Single(found!.Value!).Id);
    }

    [Fact(Timeout = 60_000)]
    public async Task ResourceManager_WithEntraToken_ReadsSubscriptionAndChallengeNamesSandboxAuthority()
    {
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(_host.ResourceManagerEndpoint, SandboxHost.ResourceManagerAudience),
            Transport = new HttpClientTransport(new HttpClient(_host.Tls.CreateTrustingHandler())),
        };
        var arm = new ArmClient(OperatorCredential(), _host.Directory.SubscriptionId, options);
        using var anonymous = new HttpClient(_host.Tls.CreateTrustingHandler()) { BaseAddress = _host.ResourceManagerEndpoint };

        var subscription = await arm.GetDefaultSubscriptionAsync();
        using var challenge = await anonymous.GetAsync(new Uri($"subscriptions/{_host.Directory.SubscriptionId}?api-version=2016-06-01", UriKind.Relative));

        Assert.Equal(_host.Directory.SubscriptionId, subscription.Data.SubscriptionId);
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        var expected = $"authorization_uri=\"{_host.AuthorityHost.ToString().TrimEnd('/')}/{_host.Directory.TenantId}\"";
        Assert.Contains(expected, Assert.Single(challenge.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
    }
}
