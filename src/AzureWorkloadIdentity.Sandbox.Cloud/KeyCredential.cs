using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AzureWorkloadIdentity.Sandbox.Cloud;

/// <summary>
/// A certificate credential of an application (Graph <c>keyCredential</c> of type <c>AsymmetricX509Cert</c>, usage
/// <c>Verify</c>): Entra ID checks self-signed client assertions against its public key.
/// </summary>
/// <param name="KeyId">Graph's <c>keyId</c>.</param>
/// <param name="Certificate">The X.509 certificate, DER (Graph's <c>key</c>, base64 on the wire).</param>
/// <param name="CustomKeyIdentifier">Graph's <c>customKeyIdentifier</c>; the SHA-1 thumbprint unless the caller set one.</param>
public sealed record KeyCredential(
    string KeyId,
    string? DisplayName,
    byte[] Certificate,
    byte[] CustomKeyIdentifier,
    DateTimeOffset StartDateTime,
    DateTimeOffset EndDateTime)
{
    public const string AsymmetricX509Cert = "AsymmetricX509Cert";
    public const string Verify = "Verify";

    /// <summary>SHA-1 thumbprint of the certificate's DER encoding (the assertion header's <c>x5t</c>).</summary>
    public byte[] Sha1Thumbprint() => SHA1.HashData(Certificate);

    /// <summary>SHA-256 thumbprint of the certificate's DER encoding (the assertion header's <c>x5t#S256</c>).</summary>
    public byte[] Sha256Thumbprint() => SHA256.HashData(Certificate);

    public X509Certificate2 Load() => X509CertificateLoader.LoadCertificate(Certificate);
}
