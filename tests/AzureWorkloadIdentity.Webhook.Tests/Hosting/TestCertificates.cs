using System.Net;
using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Core.Certificates;

namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

/// <summary>A test CA that writes serving certificates into a cert dir the way a mounted secret looks.</summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        Authority = CertificateAuthority.Create("azwi-test-ca", DateTimeOffset.UtcNow.AddHours(-1), TimeSpan.FromDays(2));
        Directory = System.IO.Directory.CreateTempSubdirectory("azwi-webhook-certs-").FullName;
    }

    public CertificateAuthority Authority { get; }

    public string Directory { get; }

    /// <summary>Issues a new certificate for 127.0.0.1/localhost and writes tls.crt and tls.key directly.</summary>
    public X509Certificate2 WriteServing()
    {
        var certificate = Issue();
        File.WriteAllText(Path.Combine(Directory, "tls.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(Directory, "tls.key"), CertificateAuthority.ExportKeyPem(certificate));
        return certificate;
    }

    /// <summary>
    /// Writes a new certificate the way the kubelet updates a secret volume: files in a timestamped directory,
    /// <c>..data</c> a symlink to it (swapped atomically by rename), <c>tls.crt</c> a symlink to <c>..data/tls.crt</c>.
    /// </summary>
    public X509Certificate2 WriteServingAsSecretVolume()
    {
        var certificate = Issue();
        SecretVolume.Project(Directory, new Dictionary<string, byte[]>
        {
            ["tls.crt"] = System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()),
            ["tls.key"] = System.Text.Encoding.ASCII.GetBytes(CertificateAuthority.ExportKeyPem(certificate)),
        });
        return certificate;
    }

    public void Dispose()
    {
        Authority.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A watcher may still hold the directory; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>Issues a certificate for 127.0.0.1/localhost without writing it.</summary>
    public X509Certificate2 Issue() => Authority.IssueServerCertificate(
        ["localhost"], [IPAddress.Loopback], DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromHours(2));
}
