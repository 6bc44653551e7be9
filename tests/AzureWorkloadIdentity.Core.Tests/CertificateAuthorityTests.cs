using System.Net;
using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Core.Certificates;

namespace AzureWorkloadIdentity.Core.Tests;

public sealed class CertificateAuthorityTests
{
    [Fact]
    public void IssueServerCertificate_ChainsToCa_AndCarriesSans()
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create("test-ca", now.AddMinutes(-1), TimeSpan.FromDays(1));
        using var server = ca.IssueServerCertificate(["svc.ns.svc"], [IPAddress.Loopback], now.AddMinutes(-1), TimeSpan.FromHours(1));

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(server), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(server.HasPrivateKey);
        Assert.Equal("svc.ns.svc", server.GetNameInfo(X509NameType.DnsName, false));
    }

    [Fact]
    public void IssueServerCertificate_NeverOutlivesCa()
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create("short-ca", now.AddMinutes(-1), TimeSpan.FromHours(1));
        using var server = ca.IssueServerCertificate(["x"], [], now, TimeSpan.FromDays(30));
        Assert.True(server.NotAfter <= ca.Certificate.NotAfter);
    }

    [Fact]
    public void FromPem_RoundTripsCaAndKey()
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create("pem-ca", now.AddMinutes(-1), TimeSpan.FromDays(1));
        using var loaded = CertificateAuthority.FromPem(ca.CertificatePem, ca.KeyPem);
        Assert.Equal(ca.Certificate.Thumbprint, loaded.Certificate.Thumbprint);
        using var server = loaded.IssueServerCertificate(["a"], [], now, TimeSpan.FromHours(1));
        Assert.Equal(ca.Certificate.Subject, server.Issuer);
    }
}
