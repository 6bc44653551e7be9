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
        var version = Path.Combine(Directory, "..v" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(version);
        File.WriteAllText(Path.Combine(version, "tls.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(version, "tls.key"), CertificateAuthority.ExportKeyPem(certificate));
        var temporary = Path.Combine(Directory, "..data_tmp");
        File.CreateSymbolicLink(temporary, Path.GetFileName(version));
        RenameOver(temporary, Path.Combine(Directory, "..data"));
        foreach (var file in new[] { "tls.crt", "tls.key" })
        {
            var link = Path.Combine(Directory, file);
            if (!Path.Exists(link) && new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, Path.Combine("..data", file));
            }
        }

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

    // rename(2) replaces the symlink atomically, as the kubelet does; .NET's File.Move follows the link to the directory.
    private static void RenameOver(string source, string destination)
    {
        using var move = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mv", ["-Tf", source, destination]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start mv");
        move.WaitForExit();
        if (move.ExitCode != 0)
        {
            throw new IOException($"mv -Tf {source} {destination} failed with exit code {move.ExitCode}");
        }
    }

    /// <summary>Issues a certificate for 127.0.0.1/localhost without writing it.</summary>
    public X509Certificate2 Issue() => Authority.IssueServerCertificate(
        ["localhost"], [IPAddress.Loopback], DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromHours(2));
}
