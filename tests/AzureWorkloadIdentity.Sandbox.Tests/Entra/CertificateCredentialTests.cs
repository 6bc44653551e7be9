using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Sandbox.Tests.Entra;

/// <summary>
/// Certificate credentials: registered through Graph with the real SDK, used by Azure.Identity's
/// ClientCertificateCredential (MSAL's self-signed client assertion) against the sandbox's Entra ID.
/// </summary>
public sealed class CertificateCredentialTests
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task ClientCertificateCredential_RegisteredCertificate_GetsTokenForTheApplication()
    {
        await using var world = await CertificateWorld.StartAsync();

        var token = await world.CertificateCredential().GetTokenAsync(CertificateWorld.VaultScope, CancellationToken.None);

        var jwt = new JsonWebToken(token.Token);
        Assert.Equal("https://vault.azure.net", jwt.Audiences.Single());
        Assert.Equal(world.ClientId, jwt.GetPayloadValue<string>("appid"));
        Assert.Equal("2", jwt.GetPayloadValue<string>("appidacr"));
        Assert.Equal(world.World.PrincipalIdOf(world.ClientId), jwt.GetPayloadValue<string>("oid"));
    }

    [Fact(Timeout = Timeout)]
    public async Task ClientCertificateCredential_Assertion_IsSelfSignedForTheTokenEndpointWithAThumbprint()
    {
        await using var world = await CertificateWorld.StartAsync();

        await world.CertificateCredential().GetTokenAsync(CertificateWorld.VaultScope, CancellationToken.None);

        var form = QueryHelpers.ParseQuery(Assert.Single(world.TokenRequests));
        Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"].ToString());
        var assertion = new JsonWebToken(form["client_assertion"].ToString());
        Assert.Equal(world.ClientId, assertion.Issuer);
        Assert.Equal(world.ClientId, assertion.Subject);
        Assert.Equal(world.TokenEndpoint, assertion.Audiences.Single());
        Assert.False(string.IsNullOrEmpty(assertion.Id));
        // MSAL 4.92 signs for an Entra ID authority as Entra documents it: PS256 with the SHA-256 thumbprint; exp and
        // nbf are JSON strings, which the sandbox must read as numbers.
        Assert.Equal("PS256", assertion.Alg);
        Assert.Equal(Base64UrlEncoder.Encode(SHA256.HashData(world.Certificate.RawData)), assertion.GetHeaderValue<string>("x5t#S256"));
        Assert.True(assertion.ValidTo > DateTime.UtcNow);
    }

    [Fact(Timeout = Timeout)]
    public async Task Rs256AssertionWithSha1Thumbprint_IsAccepted()
    {
        await using var world = await CertificateWorld.StartAsync();
        var assertion = world.SignAssertion(SecurityAlgorithms.RsaSha256);

        var token = await world.AssertionCredential(assertion).GetTokenAsync(CertificateWorld.VaultScope, CancellationToken.None);

        Assert.Equal(world.ClientId, new JsonWebToken(token.Token).GetPayloadValue<string>("appid"));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("{0}/{1}/oauth2/token")]
    [InlineData("{0}/common/oauth2/v2.0/token")]
    [InlineData("{0}/{1}/v2.0")]
    public async Task AssertionForOtherAcceptedAudiences_IsAccepted(string audienceFormat)
    {
        await using var world = await CertificateWorld.StartAsync();
        var origin = world.World.Host.AuthorityHost.ToString().TrimEnd('/');
        var audience = string.Format(System.Globalization.CultureInfo.InvariantCulture, audienceFormat, origin, world.TenantId);

        var token = await world.AssertionCredential(world.SignAssertion(SecurityAlgorithms.RsaSsaPssSha256, audience))
            .GetTokenAsync(CertificateWorld.VaultScope, CancellationToken.None);

        Assert.Equal(world.ClientId, new JsonWebToken(token.Token).GetPayloadValue<string>("appid"));
    }

    [Fact(Timeout = Timeout)]
    public async Task UnregisteredCertificate_700027_KeyNotFoundWithThumbprint()
    {
        await using var world = await CertificateWorld.StartAsync();
        using var other = TestCertificates.Create("CN=not-registered");

        var message = await world.FailAsync(world.CertificateCredential(other));

        Assert.Contains("AADSTS700027", message, StringComparison.Ordinal);
        Assert.Contains("The key was not found.", message, StringComparison.Ordinal);
        Assert.Contains($"Thumbprint of key used by client: '{Convert.ToHexString(SHA256.HashData(other.RawData))}'", message, StringComparison.Ordinal);
        Assert.Contains(world.ClientId, message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task ApplicationWithoutCertificates_700026()
    {
        await using var world = await CertificateWorld.StartAsync(register: false);

        var message = await world.FailAsync(world.CertificateCredential());

        Assert.Contains("AADSTS700026", message, StringComparison.Ordinal);
        Assert.Contains("no configured keys", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task ExpiredRegisteredCertificate_700027_KeyExpired()
    {
        await using var world = await CertificateWorld.StartAsync(register: false);
        var now = DateTimeOffset.UtcNow;
        using var expired = TestCertificates.Create(notBefore: now.AddDays(-10), notAfter: now.AddDays(-1));
        await world.RegisterAsync(expired);

        var message = await world.FailAsync(world.CertificateCredential(expired));

        Assert.Contains("AADSTS700027", message, StringComparison.Ordinal);
        Assert.Contains("The key used is expired.", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task ExpiredAssertion_700024()
    {
        await using var world = await CertificateWorld.StartAsync();
        var issued = DateTime.UtcNow.AddHours(-2);

        var message = await world.FailAsync(world.SignAssertion(issued: issued, expires: issued.AddMinutes(10)));

        Assert.Contains("AADSTS700024", message, StringComparison.Ordinal);
        Assert.Contains("not within its valid time range", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task WrongAudience_50012_NamesPresentedAndExpectedAudience()
    {
        await using var world = await CertificateWorld.StartAsync();

        var message = await world.FailAsync(world.SignAssertion(audience: "https://elsewhere.example/token"));

        Assert.Contains("AADSTS50012", message, StringComparison.Ordinal);
        Assert.Contains("'https://elsewhere.example/token'", message, StringComparison.Ordinal);
        Assert.Contains(world.TokenEndpoint, message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task ThumbprintOfRegisteredCertificateButSignedByAnotherKey_700027_SignatureValidation()
    {
        await using var world = await CertificateWorld.StartAsync();
        using var impostor = RSA.Create(2048);
        // The registered certificate's SHA-256 thumbprint in the header (the handler reserves x5t for the signing key).
        var headers = new Dictionary<string, object> { ["x5t#S256"] = Base64UrlEncoder.Encode(SHA256.HashData(world.Certificate.RawData)) };

        var message = await world.FailAsync(world.Sign(new SigningCredentials(new RsaSecurityKey(impostor), SecurityAlgorithms.RsaSsaPssSha256), headers: headers));

        Assert.Contains("AADSTS700027", message, StringComparison.Ordinal);
        Assert.Contains("Client assertion failed signature validation.", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task AssertionWithoutThumbprint_50027()
    {
        await using var world = await CertificateWorld.StartAsync();
        using var rsa = world.Certificate.GetRSAPrivateKey()!;

        var message = await world.FailAsync(world.Sign(new SigningCredentials(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256)));

        Assert.Contains("AADSTS50027", message, StringComparison.Ordinal);
        Assert.Contains("neither x5t#S256 nor x5t", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task FederatedAssertion_StillTakesTheFederatedPath()
    {
        await using var world = await CertificateWorld.StartAsync();
        var credential = world.World.WorkloadCredential(world.World.WriteTokenFile(world.World.MintToken()));

        var token = await credential.GetTokenAsync(CertificateWorld.VaultScope, CancellationToken.None);

        Assert.Equal(world.ClientId, new JsonWebToken(token.Token).GetPayloadValue<string>("appid"));
    }
}
