using System.Security.Cryptography;
using AzureWorkloadIdentity.Sandbox.Oidc;
using AzureWorkloadIdentity.Sandbox.Primitives;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Sandbox.Tests.Oidc;

public sealed class SigningKeyTests
{
    [Fact]
    public void FromPem_PrivateAndPublicHalves_HaveTheSameKubernetesKeyId()
    {
        using var generated = SigningKey.Generate();
        using var privateHalf = SigningKey.FromPem(generated.ExportPrivateKeyPem());
        using var publicHalf = SigningKey.FromPem(generated.ExportPublicKeyPem());

        Assert.Equal(generated.KeyId, privateHalf.KeyId);
        Assert.Equal(generated.KeyId, publicHalf.KeyId);
        Assert.True(privateHalf.HasPrivateKey);
        Assert.False(publicHalf.HasPrivateKey);
        Assert.Throws<InvalidOperationException>(() => publicHalf.Credentials);
    }

    [Fact]
    public void KeyId_IsBase64UrlSha256OfSubjectPublicKeyInfo_ComputedIndependently()
    {
        using var rsa = RSA.Create(2048);
        using var key = SigningKey.FromPem(rsa.ExportRSAPrivateKeyPem());

        var expected = Convert.ToBase64String(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(expected, key.KeyId);
    }

    [Fact]
    public void ToJwk_HasKubernetesShape_AndRoundTripsToTheSameKey()
    {
        using var key = SigningKey.Generate();

        var jwk = key.ToJwk();

        Assert.Equal("sig", jwk["use"]!.GetValue<string>());
        Assert.Equal("RSA", jwk["kty"]!.GetValue<string>());
        Assert.Equal("RS256", jwk["alg"]!.GetValue<string>());
        Assert.Equal(key.KeyId, jwk["kid"]!.GetValue<string>());
        var parsed = new JsonWebKey(jwk.ToJsonString());
        Assert.Equal(256, Base64UrlEncoder.DecodeBytes(parsed.N).Length);
    }

    [Fact]
    public void FromPem_NoKey_ExplainsWhatIsExpected()
    {
        var error = Assert.Throws<ArgumentException>(() => SigningKey.FromPem("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----"));
        Assert.Contains("sa.key or sa.pub", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retire_CurrentKey_IsRefused_OtherKeysDisappearFromJwks()
    {
        using var first = SigningKey.Generate();
        using var issuer = new ServiceAccountIssuer("https://issuer.example/abc/", first);
        var second = SigningKey.Generate();
        issuer.Rotate(second);

        Assert.Equal(2, issuer.GetJwks()["keys"]!.AsArray().Count);
        Assert.Throws<InvalidOperationException>(() => issuer.Retire(second.KeyId));
        issuer.Retire(first.KeyId);
        Assert.Equal(second.KeyId, Assert.Single(issuer.GetJwks()["keys"]!.AsArray())!["kid"]!.GetValue<string>());
        Assert.Equal("https://issuer.example/abc/.well-known/openid-configuration", issuer.DiscoveryUri.ToString());
        Assert.Equal("https://issuer.example/abc/", issuer.GetDiscoveryDocument()["issuer"]!.GetValue<string>());
    }
}
