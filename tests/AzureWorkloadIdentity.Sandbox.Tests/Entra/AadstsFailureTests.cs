using Azure.Core;
using Azure.Identity;
using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.Oidc;
using AzureWorkloadIdentity.Sandbox.Primitives;

namespace AzureWorkloadIdentity.Sandbox.Tests.Entra;

/// <summary>One test per refusal: the code the real SDK surfaces, with Entra's wording.</summary>
public sealed class AadstsFailureTests
{
    private const int Timeout = 60_000;
    private static readonly TokenRequestContext VaultScope = new(["https://vault.azure.net/.default"]);

    [Fact(Timeout = Timeout)]
    public async Task IssuerWithoutTrailingSlash_700211_NamesPresentedIssuer()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync(host => Credential(host.IssuerUrl.TrimEnd('/')));

        var message = await FailAsync(world, world.MintToken());

        Assert.Contains("AADSTS700211", message, StringComparison.Ordinal);
        Assert.Contains($"assertion issuer '{world.Host.IssuerUrl}'", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task WrongSubject_700213_NamesPresentedSubject()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();

        var message = await FailAsync(world, world.MintToken(subjectName: "other-sa"));

        Assert.Contains("AADSTS700213", message, StringComparison.Ordinal);
        Assert.Contains("system:serviceaccount:default:other-sa", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task SubjectDifferingOnlyInCase_7002138()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();

        var message = await FailAsync(world, world.MintToken(subjectName: "Workload-Identity-SA"));

        Assert.Contains("AADSTS7002138", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task WrongAudience_70021_NamesIssuerSubjectAndAudience()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();

        var message = await FailAsync(world, world.MintToken(audience: "api://SomethingElse"));

        Assert.Contains("AADSTS70021", message, StringComparison.Ordinal);
        Assert.Contains("Assertion Audience: 'api://SomethingElse'", message, StringComparison.Ordinal);
        Assert.Contains($"Assertion Issuer: '{world.Host.IssuerUrl}'", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task ExpiredToken_700024()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();

        var message = await FailAsync(world, world.MintToken(age: TimeSpan.FromHours(2), lifetime: TimeSpan.FromHours(1)));

        Assert.Contains("AADSTS700024", message, StringComparison.Ordinal);
        Assert.Contains("not within its valid time range", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task TokenSignedByUnpublishedKey_700027()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        using var impostor = new ServiceAccountIssuer(world.Host.IssuerUrl, SigningKey.Generate());

        var message = await FailAsync(world, world.MintToken(issuer: impostor));

        Assert.Contains("AADSTS700027", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task UnreachableIssuer_90061()
    {
        const string Unreachable = "https://127.0.0.1:1/unreachable-issuer/";
        await using var world = await WorkloadIdentityWorld.StartAsync(_ => Credential(Unreachable));
        using var elsewhere = new ServiceAccountIssuer(Unreachable, SigningKey.Generate());

        var message = await FailAsync(world, world.MintToken(issuer: elsewhere));

        Assert.Contains("AADSTS90061", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task UnknownClient_700016()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        var unknown = Guid.NewGuid().ToString();

        var message = await FailAsync(world, world.MintToken(), clientId: unknown);

        Assert.Contains("AADSTS700016", message, StringComparison.Ordinal);
        Assert.Contains(unknown, message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task UnknownTenant_90002()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        var unknown = Guid.NewGuid().ToString();

        var message = await FailAsync(world, world.MintToken(), tenantId: unknown);

        Assert.Contains("AADSTS90002", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task NoCredentialAtAll_7000218()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        using var http = new HttpClient(world.Host.Tls.CreateTrustingHandler());

        var response = await http.PostAsync(
            new Uri(world.Host.AuthorityHost, $"{world.Host.Directory.TenantId}/oauth2/v2.0/token"),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = world.ClientId,
                ["scope"] = "https://vault.azure.net/.default",
            }));
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("invalid_client", body["error"]!.GetValue<string>());
        Assert.Equal(7000218, body["error_codes"]![0]!.GetValue<int>());
        Assert.StartsWith("AADSTS7000218: ", body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task WrongClientSecret_7000215()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        var credential = new ClientSecretCredential(world.Host.Directory.TenantId, world.Host.Operator.ClientId, "not-the-secret",
            new ClientSecretCredentialOptions { AuthorityHost = world.Host.AuthorityHost, DisableInstanceDiscovery = true, Transport = world.Transport() });

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(VaultScope, CancellationToken.None).AsTask());

        Assert.Contains("AADSTS7000215", error.InnerException?.Message, StringComparison.Ordinal);
    }

    private static FederatedCredential Credential(string issuer) => new(
        Guid.NewGuid().ToString(), "fic", issuer,
        $"system:serviceaccount:{WorkloadIdentityWorld.Namespace}:{WorkloadIdentityWorld.ServiceAccount}", [WorkloadIdentityWorld.Audience]);

    private static async Task<string> FailAsync(WorkloadIdentityWorld world, string token, string? clientId = null, string? tenantId = null)
    {
        var credential = world.WorkloadCredential(world.WriteTokenFile(token), clientId, tenantId);
        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => credential.GetTokenAsync(VaultScope, CancellationToken.None).AsTask());
        // Azure.Identity wraps MSAL's exception; the AADSTS text is the inner exception's message, as users see it.
        return error.Message + " " + error.InnerException?.Message;
    }
}
