using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AzureWorkloadIdentity.Core.Certificates;

/// <summary>
/// A small self-signed certificate authority (ECDSA P-256) that issues TLS server certificates.
/// Used by the webhook's certificate rotation, the sandbox's local CA and the tests. Pure crypto, no I/O.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private CertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Creates a new CA valid from <paramref name="notBefore"/> for <paramref name="lifetime"/>.</summary>
    public static CertificateAuthority Create(string commonName, DateTimeOffset notBefore, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var selfSigned = request.CreateSelfSigned(notBefore, notBefore + lifetime);
        return new CertificateAuthority(Reload(selfSigned));
    }

    /// <summary>Loads a CA from PEM text (certificate and private key).</summary>
    public static CertificateAuthority FromPem(string certificatePem, string keyPem)
    {
        using var loaded = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        return new CertificateAuthority(Reload(loaded));
    }

    /// <summary>
    /// Issues a server certificate for the given DNS names and IP addresses, signed by this CA.
    /// The first DNS name (or address) becomes the subject's common name.
    /// </summary>
    public X509Certificate2 IssueServerCertificate(
        IEnumerable<string> dnsNames,
        IEnumerable<IPAddress> ipAddresses,
        DateTimeOffset notBefore,
        TimeSpan lifetime)
    {
        var names = dnsNames.ToArray();
        var addresses = ipAddresses.ToArray();
        if (names.Length == 0 && addresses.Length == 0)
        {
            throw new ArgumentException("a server certificate needs at least one DNS name or IP address");
        }

        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            san.AddIpAddress(address);
        }

        var notAfter = notBefore + lifetime;
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var commonName = names.Length > 0 ? names[0] : addresses[0].ToString();
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(Certificate, notBefore, notAfter, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    /// <summary>The CA certificate as PEM.</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>The CA private key as PKCS#8 PEM.</summary>
    public string KeyPem => ExportKeyPem(Certificate);

    /// <summary>Exports the private key of a certificate made by this class as PKCS#8 PEM.</summary>
    public static string ExportKeyPem(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey()
            ?? throw new ArgumentException("the certificate has no ECDSA private key", nameof(certificate));
        return key.ExportPkcs8PrivateKeyPem();
    }

    public void Dispose() => Certificate.Dispose();

    // Ephemeral keys cannot serve TLS on every platform; a PKCS#12 round trip gives a persisted key.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
