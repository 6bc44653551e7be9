using AzureWorkloadIdentity.Sandbox.Entra;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AzureWorkloadIdentity.Sandbox.Tests.Entra;

/// <summary>The lifetime of the sandbox's access tokens and how long a resource server still accepts them.</summary>
public sealed class AccessTokenIssuerTests
{
    private static readonly string[] Vault = ["https://vault.azure.net"];

    [Fact]
    public void Issue_ConfiguredLifetime_ExpiresThen()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var issuer = new AccessTokenIssuer(Guid.NewGuid().ToString(), time, lifetime: TimeSpan.FromSeconds(10));

        var token = new JsonWebToken(issuer.Issue("https://vault.azure.net", "client", "principal", byAssertion: true));

        Assert.Equal(TimeSpan.FromSeconds(10), issuer.Lifetime);
        Assert.Equal(time.GetUtcNow().UtcDateTime.AddSeconds(10), token.ValidTo);
    }

    [Fact]
    public void Validate_ExpiredWithinClockSkew_AcceptedAndAfterIt_Refused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var issuer = new AccessTokenIssuer(Guid.NewGuid().ToString(), time, lifetime: TimeSpan.FromSeconds(10));
        var header = "Bearer " + issuer.Issue("https://vault.azure.net", "client", "principal", byAssertion: true);

        time.Advance(TimeSpan.FromSeconds(10) + AccessTokenIssuer.AcceptedClockSkew - TimeSpan.FromSeconds(1));
        var withinSkew = issuer.Validate(header, Vault);
        time.Advance(TimeSpan.FromSeconds(1));
        var afterSkew = issuer.Validate(header, Vault);

        Assert.True(withinSkew.IsValid, withinSkew.Error);
        Assert.False(afterSkew.IsValid);
        Assert.StartsWith("the token expired at", afterSkew.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NonPositiveLifetime_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AccessTokenIssuer("tenant", lifetime: TimeSpan.Zero));
}
