using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AzureWorkloadIdentity.Sandbox.Tests.Entra;

/// <summary>Self-signed RSA certificates with their private keys, as an application owner would make one.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Create(string subject = "CN=azwi-sandbox-client", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(notBefore ?? now.AddMinutes(-5), notAfter ?? now.AddDays(30));
        // Through PKCS#12 so the private key is a persisted, usable one on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
