using AzureWorkloadIdentity.Webhook.Certificates;
using static AzureWorkloadIdentity.Webhook.Tests.Certificates.CertificateTestData;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

public sealed class CertificateFilesTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("wi-files-");

    [Fact]
    public void Write_SameMaterialTwice_SecondWriteChangesNothing()
    {
        var material = CertificatePlanner.Plan(CertificateMaterial.Empty, Options(), Start, NoneTrusted).Material;
        var target = Path.Combine(_directory.FullName, "nested");

        var first = CertificateFiles.Write(target, material);
        var written = File.GetLastWriteTimeUtc(Path.Combine(target, "tls.crt"));
        var second = CertificateFiles.Write(target, material);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(target, "tls.crt")));
        Assert.Equal(["ca.crt", "tls.crt", "tls.key"], Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Write_NewMaterial_ReplacesEveryFile()
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, Options(), Start, NoneTrusted).Material;
        var second = CertificatePlanner.Plan(CertificateMaterial.Empty, Options(), Start, NoneTrusted).Material;
        CertificateFiles.Write(_directory.FullName, first);

        Assert.True(CertificateFiles.Write(_directory.FullName, second));

        Assert.Equal(second.TlsCertificatePem, File.ReadAllText(Path.Combine(_directory.FullName, "tls.crt")));
        Assert.Equal(second.TlsKeyPem, File.ReadAllText(Path.Combine(_directory.FullName, "tls.key")));
        Assert.Equal(second.CaBundlePem, File.ReadAllText(Path.Combine(_directory.FullName, "ca.crt")));
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
