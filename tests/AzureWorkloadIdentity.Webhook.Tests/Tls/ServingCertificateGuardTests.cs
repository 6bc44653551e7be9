using System.Security.Authentication;
using AzureWorkloadIdentity.Webhook.Certificates;
using AzureWorkloadIdentity.Webhook.Tls;
using Microsoft.Extensions.Logging.Abstractions;
using static AzureWorkloadIdentity.Webhook.Tests.Certificates.CertificateTestData;

namespace AzureWorkloadIdentity.Webhook.Tests.Tls;

/// <summary>The replica guard: new files are served only once the live caBundle trusts them.</summary>
public sealed class ServingCertificateGuardTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("wi-guard-");

    [Fact]
    public void Reload_NewCaNotYetInLiveBundle_KeepsPreviousUntilBundleTrustsIt()
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, Options(), Start, NoneTrusted).Material;
        var next = CertificatePlanner.Plan(CertificateMaterial.Empty, Options(), Start, NoneTrusted).Material;
        var state = new CertificateRotationState();
        state.Observed([Bundle(first)]);
        CertificateFiles.Write(_directory.FullName, first);
        using var serving = new ServingCertificate(_directory.FullName, SslProtocols.Tls13, TimeSpan.FromHours(1), NullLogger<ServingCertificate>.Instance,
            new CaBundleGuard(state, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start)));
        using var firstServer = Server(first);
        using var nextServer = Server(next);
        Assert.Equal(firstServer.Thumbprint, serving.Certificate?.Thumbprint);

        CertificateFiles.Write(_directory.FullName, next);
        serving.Reload();
        Assert.Equal(firstServer.Thumbprint, serving.Certificate?.Thumbprint);

        // The caBundle now trusts both CAs: the guard lets the new certificate in without another file change.
        state.Observed([[.. Bundle(next), .. Bundle(first)]]);
        Assert.Equal(nextServer.Thumbprint, serving.Certificate?.Thumbprint);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
