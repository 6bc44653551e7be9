using Azure;
using Azure.Core;
using Azure.Identity;
using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.Primitives;
using Microsoft.Identity.Client;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AzureWorkloadIdentity.Sandbox.Tests.Entra;

/// <summary>The federated token exchange with the real Azure.Identity and MSAL.NET clients.</summary>
public sealed class WorkloadIdentityExchangeTests
{
    private const int Timeout = 60_000;
    private static readonly TokenRequestContext VaultScope = new(["https://vault.azure.net/.default"]);

    [Fact(Timeout = Timeout)]
    public async Task WorkloadIdentityCredential_ProjectedToken_GetsAccessTokenWithRealisticClaims()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        var credential = world.WorkloadCredential(world.WriteTokenFile(world.MintToken()));

        var token = await credential.GetTokenAsync(VaultScope, CancellationToken.None);

        var jwt = new JsonWebToken(token.Token);
        Assert.Equal("https://vault.azure.net", jwt.Audiences.Single());
        Assert.Equal($"https://sts.windows.net/{world.Host.Directory.TenantId}/", jwt.Issuer);
        Assert.Equal(world.ClientId, jwt.GetPayloadValue<string>("appid"));
        Assert.Equal(world.PrincipalIdOf(world.ClientId), jwt.GetPayloadValue<string>("oid"));
        Assert.Equal("app", jwt.GetPayloadValue<string>("idtyp"));
        Assert.True(token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(50));
    }

    [Fact(Timeout = Timeout)]
    public async Task TokenFileWithTrailingNewline_IsAccepted()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        var credential = world.WorkloadCredential(world.WriteTokenFile(world.MintToken() + "\n"));

        var token = await credential.GetTokenAsync(VaultScope, CancellationToken.None);

        Assert.False(string.IsNullOrEmpty(token.Token));
    }

    [Fact(Timeout = Timeout)]
    public async Task MsalConfidentialClient_AssertionCallback_GetsToken()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        var file = world.WriteTokenFile(world.MintToken());
        var reads = 0;
        var app = ConfidentialClientApplicationBuilder.Create(world.ClientId)
            .WithAuthority(new Uri(world.Host.AuthorityHost, world.Host.Directory.TenantId).ToString(), validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new TrustingHttpClientFactory(world))
            .WithClientAssertion(async (AssertionRequestOptions options) =>
            {
                Interlocked.Increment(ref reads);
                return await File.ReadAllTextAsync(file, options.CancellationToken);
            })
            .Build();

        var result = await app.AcquireTokenForClient(["https://management.azure.com//.default"]).ExecuteAsync();

        Assert.Equal("https://management.azure.com/", new JsonWebToken(result.AccessToken).Audiences.Single());
        Assert.Equal(1, reads);
    }

    [Fact(Timeout = Timeout)]
    public async Task SecretClient_WithWorkloadIdentity_ReadsHello_AfterAccessPolicyGrant()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        var vault = await world.CreateVaultAsync("azwi-kv-test",
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { [world.PrincipalIdOf(world.ClientId)] = ["get"] });
        await world.SecretClient(vault, world.OperatorCredential()).SetSecretAsync("my-secret", "Hello!");
        var credential = world.WorkloadCredential(world.WriteTokenFile(world.MintToken()));

        var secret = await world.SecretClient(vault, credential).GetSecretAsync("my-secret");

        Assert.Equal("Hello!", secret.Value.Value);
        Assert.Equal("my-secret", secret.Value.Name);
    }

    [Fact(Timeout = Timeout)]
    public async Task SecretClient_WithoutRoleOrPolicy_Gets403FromKeyVault()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        var vault = await world.CreateVaultAsync("azwi-kv-denied");
        await world.SecretClient(vault, world.OperatorCredential()).SetSecretAsync("my-secret", "Hello!");
        var credential = world.WorkloadCredential(world.WriteTokenFile(world.MintToken()));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => world.SecretClient(vault, credential).GetSecretAsync("my-secret"));

        Assert.Equal(403, error.Status);
        Assert.Equal("Forbidden", error.ErrorCode);
        Assert.Contains("does not have secrets get permission", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task SecretClient_WithSecretsUserRoleAtVaultScope_ReadsSecret()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        var vault = await world.CreateVaultAsync("azwi-kv-rbac");
        await world.SecretClient(vault, world.OperatorCredential()).SetSecretAsync("my-secret", "Hello!");
        var directory = world.Host.Directory;
        var scope = directory.Snapshot.Vaults["azwi-kv-rbac"].ResourceId;
        directory.Update(state =>
        {
            var id = $"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}";
            var assignment = new RoleAssignment(id, id[(id.LastIndexOf('/') + 1)..], scope,
                $"/subscriptions/{directory.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6",
                world.PrincipalIdOf(world.ClientId), "ServicePrincipal");
            return (state with { RoleAssignments = state.RoleAssignments.With(id, assignment) }, true);
        });
        var credential = world.WorkloadCredential(world.WriteTokenFile(world.MintToken()));

        var secret = await world.SecretClient(vault, credential).GetSecretAsync("my-secret");

        Assert.Equal("Hello!", secret.Value.Value);
    }

    [Fact(Timeout = Timeout)]
    public async Task IssuerDocuments_ValidateATokenMintedByTheCluster()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        using var http = new HttpClient(world.Host.Tls.CreateTrustingHandler());
        var token = world.MintToken();

        var discovery = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(world.Host.IssuerUrl.TrimEnd('/') + "/.well-known/openid-configuration")))!;
        var jwks = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await http.GetStringAsync(new Uri(discovery["jwks_uri"]!.GetValue<string>())));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            ValidIssuer = discovery["issuer"]!.GetValue<string>(),
            ValidAudience = WorkloadIdentityWorld.Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(world.Host.IssuerUrl, discovery["issuer"]!.GetValue<string>());
        Assert.Equal(new JsonWebToken(token).Kid, Assert.Single(jwks.Keys).Kid);
    }

    [Fact(Timeout = Timeout)]
    public async Task KeyRotation_OldAndNewKeysPublished_TokensOfBothAccepted_RetiredKeyRefused()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var world = await WorkloadIdentityWorld.StartAsync(time: time);
        var oldToken = world.MintToken();
        var oldKey = world.Host.Issuer.CurrentKey.KeyId;
        world.Host.Issuer.Rotate(SigningKey.Generate());
        var newToken = world.MintToken();

        await world.WorkloadCredential(world.WriteTokenFile(oldToken)).GetTokenAsync(VaultScope, CancellationToken.None);
        await world.WorkloadCredential(world.WriteTokenFile(newToken)).GetTokenAsync(VaultScope, CancellationToken.None);
        world.Host.Issuer.Retire(oldKey);

        // Entra ID caches an issuer's keys for a while, so a retired key stops working once that cache expires.
        time.Advance(TimeSpan.FromMinutes(6));
        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => world.WorkloadCredential(world.WriteTokenFile(oldToken)).GetTokenAsync(VaultScope, CancellationToken.None).AsTask());

        Assert.Contains("AADSTS700027", error.InnerException?.Message, StringComparison.Ordinal);
    }

    private sealed class TrustingHttpClientFactory(WorkloadIdentityWorld world) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => new(world.Host.Tls.CreateTrustingHandler());
    }
}
