using System.Net;
using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Core.Certificates;

namespace AzureWorkloadIdentity.Sandbox.Primitives;

/// <summary>
/// The sandbox's local certificate authority and the one server certificate (127.0.0.1, ::1, localhost) every
/// stand-in serves. Clients trust <see cref="CaPem"/> (written out as a CA bundle) instead of a public root.
/// </summary>
public sealed class SandboxTls : IDisposable
{
    private SandboxTls(CertificateAuthority authority, X509Certificate2 serverCertificate)
    {
        Authority = authority;
        ServerCertificate = serverCertificate;
    }

    public CertificateAuthority Authority { get; }

    /// <summary>The certificate Kestrel serves, with its private key.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>The CA certificate as PEM, for clients to trust.</summary>
    public string CaPem => Authority.CertificatePem;

    /// <summary>Creates a new CA (valid 30 days) and a server certificate for the loopback names.</summary>
    public static SandboxTls Create(TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow().AddMinutes(-5);
        var authority = CertificateAuthority.Create("Workload Identity Sandbox CA", now, TimeSpan.FromDays(30));
        // The API server is also reached from pods as the kubernetes Service (its ClusterIP and DNS names).
        var server = authority.IssueServerCertificate(
            ["localhost", .. ClusterAddresses.KubernetesServiceNames],
            [IPAddress.Loopback, IPAddress.IPv6Loopback, ClusterAddresses.KubernetesServiceIp], now, TimeSpan.FromDays(30));
        return new SandboxTls(authority, server);
    }

    /// <summary>An <see cref="HttpClientHandler"/> that trusts only this sandbox's CA (for clients in tests).</summary>
    public HttpClientHandler CreateTrustingHandler()
    {
        var ca = X509CertificateLoader.LoadCertificate(Authority.Certificate.RawData);
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
    }

    public void Dispose()
    {
        ServerCertificate.Dispose();
        Authority.Dispose();
    }
}
