using System.Net;
using System.Text.RegularExpressions;
using Azure;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using AzureWorkloadIdentity.Sandbox.ResourceManager;
using AzureWorkloadIdentity.Sandbox.Tests.Graph;

namespace AzureWorkloadIdentity.Sandbox.Tests.ResourceManager;

public sealed partial class SubscriptionsApiTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;

    [Fact(Timeout = Timeout)]
    public async Task GetSubscription_WithoutToken_Returns401WithTenantInChallenge()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        using var http = new HttpClient(fixture.Tls.CreateTrustingHandler()) { BaseAddress = sandbox.Server.BaseUri };

        using var response = await http.GetAsync(new Uri($"subscriptions/{ArmSandbox.SubscriptionId}?api-version=2016-06-01", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.StartsWith("Bearer authorization_uri=\"https://login.microsoftonline.com/", challenge, StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        // azwi's extraction: the GUID after the authority in authorization_uri.
        Assert.Equal(ArmSandbox.TenantId, TenantInChallenge().Match(challenge).Groups[1].Value);
        Assert.Contains("AuthenticationFailed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task GetSubscription_WithoutToken_ChallengeNamesConfiguredAuthority()
    {
        var options = new ResourceManagerOptions { AuthorityHost = new Uri("https://127.0.0.1:5443/") };
        await using var sandbox = await ArmSandbox.StartAsync(fixture, options);
        using var http = new HttpClient(fixture.Tls.CreateTrustingHandler()) { BaseAddress = sandbox.Server.BaseUri };

        using var response = await http.GetAsync(new Uri($"subscriptions/{ArmSandbox.SubscriptionId}", UriKind.Relative));

        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.Contains($"authorization_uri=\"https://127.0.0.1:5443/{ArmSandbox.TenantId}\"", challenge, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task GetSubscription_WithSdk_ReturnsTenant()
    {
        IssuedTokenCredential? credential = null;
        await using var sandbox = await ArmSandbox.StartAsync(fixture, credential: tokens => credential = new IssuedTokenCredential(tokens));

        var subscription = await sandbox.Client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(ArmSandbox.SubscriptionId)).GetAsync();

        Assert.Equal(ArmSandbox.SubscriptionId, subscription.Value.Data.SubscriptionId);
        Assert.Equal(Guid.Parse(ArmSandbox.TenantId), subscription.Value.Data.TenantId);
        Assert.Contains("https://management.azure.com//.default", credential!.RequestedScopes);
    }

    [Fact(Timeout = Timeout)]
    public async Task GetSubscription_Unknown_ThrowsSubscriptionNotFound()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var other = Guid.NewGuid().ToString();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            sandbox.Client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(other)).GetAsync());

        Assert.Equal(404, error.Status);
        Assert.Equal("SubscriptionNotFound", error.ErrorCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task Request_TokenForGraph_ThrowsInvalidAuthenticationToken()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var client = new ArmClient(
            new IssuedTokenCredential(sandbox.Tokens, "https://graph.microsoft.com"),
            ArmSandbox.SubscriptionId,
            ArmSandbox.CreateClientOptions(fixture.Tls, sandbox.Server));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetDefaultSubscriptionAsync());

        Assert.Equal(401, error.Status);
        Assert.Equal("InvalidAuthenticationToken", error.ErrorCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task Request_TokenWithoutTrailingSlashAudience_IsAccepted()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var client = new ArmClient(
            new IssuedTokenCredential(sandbox.Tokens, "https://management.azure.com"),
            ArmSandbox.SubscriptionId,
            ArmSandbox.CreateClientOptions(fixture.Tls, sandbox.Server));

        var subscription = await client.GetDefaultSubscriptionAsync();

        Assert.Equal(ArmSandbox.SubscriptionId, subscription.Data.SubscriptionId);
    }

    [GeneratedRegex("authorization_uri=\"https://[^/]+/([0-9a-fA-F-]{36})\"")]
    private static partial Regex TenantInChallenge();
}
