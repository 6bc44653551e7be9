using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Sandbox.Primitives;

/// <summary>
/// An RSA signing key with the key id Kubernetes gives it: base64url (no padding) of the SHA-256 of the DER
/// SubjectPublicKeyInfo, so a token's <c>kid</c> can be found in the JWKS document.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private readonly RSA _rsa;

    private SigningKey(RSA rsa, bool hasPrivateKey)
    {
        _rsa = rsa;
        HasPrivateKey = hasPrivateKey;
        KeyId = KeyIdOf(rsa);
        SecurityKey = new RsaSecurityKey(rsa) { KeyId = KeyId };
    }

    public string KeyId { get; }

    public bool HasPrivateKey { get; }

    public RsaSecurityKey SecurityKey { get; }

    /// <summary>Signing credentials (RS256); only for a key with its private part.</summary>
    public SigningCredentials Credentials => HasPrivateKey
        ? new SigningCredentials(SecurityKey, SecurityAlgorithms.RsaSha256)
        : throw new InvalidOperationException($"key {KeyId} has no private key and cannot sign");

    /// <summary>A new 2048-bit key.</summary>
    public static SigningKey Generate() => new(RSA.Create(2048), hasPrivateKey: true);

    /// <summary>Loads a key from PEM: a private key (PKCS#1 or PKCS#8) or a public key (sa.pub).</summary>
    public static SigningKey FromPem(string pem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pem);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException e)
        {
            rsa.Dispose();
            throw new ArgumentException("the PEM text holds no RSA key (expected sa.key or sa.pub style PEM)", nameof(pem), e);
        }

        var isPrivate = pem.Contains("PRIVATE KEY", StringComparison.Ordinal);
        return new SigningKey(rsa, isPrivate);
    }

    /// <summary>The private key as PKCS#8 PEM (to save a generated key as <c>sa.key</c>).</summary>
    public string ExportPrivateKeyPem() => _rsa.ExportPkcs8PrivateKeyPem();

    /// <summary>The public key as SubjectPublicKeyInfo PEM (<c>sa.pub</c>).</summary>
    public string ExportPublicKeyPem() => _rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>The public key as a JSON Web Key, in the shape Kubernetes' <c>/openid/v1/jwks</c> serves.</summary>
    public JsonObject ToJwk()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["use"] = "sig",
            ["kty"] = "RSA",
            ["kid"] = KeyId,
            ["alg"] = "RS256",
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    /// <summary>The Kubernetes key id of an RSA public key.</summary>
    public static string KeyIdOf(RSA rsa)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        return Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()));
    }

    public void Dispose() => _rsa.Dispose();
}
