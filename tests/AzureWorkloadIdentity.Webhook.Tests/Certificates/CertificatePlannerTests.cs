using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Webhook.Certificates;
using static AzureWorkloadIdentity.Webhook.Tests.Certificates.CertificateTestData;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

public sealed class CertificatePlannerTests
{
    private readonly CertificateRotationOptions _options = Options();

    [Fact]
    public void Plan_EmptySecret_CreatesCaAndServerCertificateForServiceName()
    {
        var plan = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted);

        Assert.True(plan.Changed);
        var bundle = Bundle(plan.Material);
        var ca = Assert.Single(bundle);
        Assert.Contains("CN=azure-workload-identity-ca", ca.Subject, StringComparison.Ordinal);
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        using var server = Server(plan.Material);
        Assert.True(server.MatchesHostname("wi-webhook.wi-system.svc", allowWildcards: false, allowCommonName: false));
        Assert.False(server.MatchesHostname("wi-webhook.other.svc", allowWildcards: false, allowCommonName: false));
        Assert.True(CertificateInspector.ChainsTo(server, bundle, Start));
        Assert.True(server.NotAfter.ToUniversalTime() > Start.AddDays(300).UtcDateTime);
        Assert.Contains("PRIVATE KEY", plan.Material.CaKeyPem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("corrupted")]
    public void Plan_SecretLostWhileWebhookTrustsOldCa_NewBundleKeepsTrustingOldCaUntilItExpires(string loss)
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted).Material;
        var lost = loss == "deleted" ? CertificateMaterial.Empty : first with { CaKeyPem = "-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n" };
        var later = Start.AddDays(30);

        var plan = CertificatePlanner.Plan(lost, _options, later, Trusting(first), [.. Bundle(first)]);
        var next = CertificatePlanner.Plan(plan.Material, _options, later.AddMinutes(1), Trusting(plan.Material));

        using var oldServer = Server(first);
        using var newServer = Server(plan.Material);
        Assert.NotEqual(first.CaKeyPem, plan.Material.CaKeyPem);
        Assert.Equal(2, Bundle(plan.Material).Count);
        Assert.True(CertificateInspector.ChainsTo(oldServer, Bundle(plan.Material), later), "replicas still serving the old certificate must pass");
        Assert.True(CertificateInspector.ChainsTo(newServer, Bundle(plan.Material), later));
        Assert.True(CertificateInspector.ChainsTo(oldServer, Bundle(next.Material), later), "the old CA is dropped only when it expires");
    }

    [Fact]
    public void Plan_FreshMaterial_NoChange()
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted).Material;

        var plan = CertificatePlanner.Plan(first, _options, Start.AddDays(30), Trusting(first));

        Assert.False(plan.Changed);
        Assert.Same(first, plan.Material);
    }

    [Fact]
    public void Plan_ServerCertificateInsideRenewalWindow_ReissuesServerKeepsCa()
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted).Material;
        var later = Start + _options.ServerValidity - _options.ServerRenewBefore + TimeSpan.FromDays(1);

        var plan = CertificatePlanner.Plan(first, _options, later, Trusting(first));

        Assert.True(plan.Changed);
        Assert.Equal(first.CaBundlePem, plan.Material.CaBundlePem);
        Assert.Equal(first.CaKeyPem, plan.Material.CaKeyPem);
        Assert.NotEqual(first.TlsCertificatePem, plan.Material.TlsCertificatePem);
        using var server = Server(plan.Material);
        Assert.True(CertificateInspector.ValidFor(server, later, _options.ServerRenewBefore));
        Assert.True(CertificateInspector.ChainsTo(server, Bundle(plan.Material), later));
    }

    [Fact]
    public void Plan_ServerCertificateJustOutsideRenewalWindow_NoChange()
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted).Material;
        var later = Start + _options.ServerValidity - _options.ServerRenewBefore - TimeSpan.FromDays(2);

        Assert.False(CertificatePlanner.Plan(first, _options, later, Trusting(first)).Changed);
    }

    [Fact]
    public void Plan_ServiceRenamed_ReissuesServerCertificateForNewName()
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted).Material;
        var renamed = Options();
        renamed.ServiceName = "renamed";

        var plan = CertificatePlanner.Plan(first, renamed, Start.AddDays(1), Trusting(first));

        Assert.Contains(plan.Reasons, reason => reason.Contains("not for renamed.wi-system.svc", StringComparison.Ordinal));
        using var server = Server(plan.Material);
        Assert.True(server.MatchesHostname("renamed.wi-system.svc", allowWildcards: false, allowCommonName: false));
    }

    [Fact]
    public void Plan_CaInsideRenewalWindow_BundleHoldsNewAndOldAndServerKept()
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted).Material;
        var rollover = Start + _options.CaValidity - _options.CaRenewBefore + TimeSpan.FromDays(1);
        // The server certificate has been renewed all along; it is fresh when the CA rollover starts.
        var renewed = CertificatePlanner.Plan(first with { TlsCertificatePem = string.Empty }, _options, rollover - TimeSpan.FromDays(2), Trusting(first)).Material;

        var plan = CertificatePlanner.Plan(renewed, _options, rollover, Trusting(renewed));

        var bundle = Bundle(plan.Material);
        Assert.Equal(2, bundle.Count);
        var oldCa = Assert.Single(Bundle(renewed));
        Assert.Equal(oldCa.Thumbprint, bundle[1].Thumbprint);
        Assert.NotEqual(oldCa.Thumbprint, bundle[0].Thumbprint);
        Assert.NotEqual(renewed.CaKeyPem, plan.Material.CaKeyPem);
        Assert.Equal(renewed.TlsCertificatePem, plan.Material.TlsCertificatePem);
    }

    [Fact]
    public void Plan_RolloverNotYetTrustedByWebhook_ServerCertificateStaysOnOldCa()
    {
        var (afterRollover, at) = RolledOver();

        // The webhook configuration still holds only the old CA.
        var oldOnly = CertificateInspector.Thumbprints([Bundle(afterRollover)[1]]);
        var plan = CertificatePlanner.Plan(afterRollover, _options, at.AddMinutes(1), oldOnly);

        Assert.False(plan.Changed);
    }

    [Fact]
    public void Plan_RolloverTrustedByWebhook_ServerCertificateReissuedFromNewCa()
    {
        var (afterRollover, at) = RolledOver();

        var plan = CertificatePlanner.Plan(afterRollover, _options, at.AddMinutes(1), Trusting(afterRollover));

        Assert.True(plan.Changed);
        Assert.Equal(afterRollover.CaBundlePem, plan.Material.CaBundlePem);
        using var server = Server(plan.Material);
        Assert.True(CertificateInspector.ChainsTo(server, [Bundle(afterRollover)[0]], at));
    }

    [Fact]
    public void Plan_PreviousCaExpired_DroppedFromBundle()
    {
        var (afterRollover, at) = RolledOver();
        var settled = CertificatePlanner.Plan(afterRollover, _options, at.AddMinutes(1), Trusting(afterRollover)).Material;
        var afterOldExpiry = Start + _options.CaValidity + TimeSpan.FromDays(1);

        var plan = CertificatePlanner.Plan(settled, _options, afterOldExpiry, Trusting(settled));

        var remaining = Assert.Single(Bundle(plan.Material));
        Assert.Equal(Bundle(settled)[0].Thumbprint, remaining.Thumbprint);
        Assert.Contains(plan.Reasons, reason => reason.Contains("previous CAs", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_CaExpired_RegeneratesEverything()
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted).Material;
        var afterExpiry = Start + _options.CaValidity + TimeSpan.FromDays(1);

        var plan = CertificatePlanner.Plan(first, _options, afterExpiry, Trusting(first));

        var ca = Assert.Single(Bundle(plan.Material));
        Assert.NotEqual(Assert.Single(Bundle(first)).Thumbprint, ca.Thumbprint);
        using var server = Server(plan.Material);
        Assert.True(CertificateInspector.ChainsTo(server, [ca], afterExpiry));
    }

    [Theory]
    [InlineData("not a pem", "nor a key")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "")]
    public void Plan_GarbageInSecret_RegeneratesEverything(string caPem, string caKey)
    {
        var plan = CertificatePlanner.Plan(new CertificateMaterial(caPem, caKey, "x", "y"), _options, Start, NoneTrusted);

        Assert.Contains("the secret holds no usable CA", plan.Reasons);
        using var server = Server(plan.Material);
        Assert.True(CertificateInspector.ChainsTo(server, Bundle(plan.Material), Start));
    }

    [Fact]
    public void Plan_ServerKeyFromAnotherPair_ReissuesServerCertificate()
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted).Material;
        var other = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted).Material;

        var plan = CertificatePlanner.Plan(first with { TlsKeyPem = other.TlsKeyPem }, _options, Start.AddDays(1), Trusting(first));

        Assert.Contains("the secret holds no usable server certificate and key", plan.Reasons);
        Assert.Equal(first.CaBundlePem, plan.Material.CaBundlePem);
    }

    [Fact]
    public void Plan_RsaCaFromAnotherImplementation_ReplacedByNewCa()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new CertificateRequest("CN=azure-workload-identity-ca", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var rsaCa = request.CreateSelfSigned(Start.AddHours(-1), Start.AddYears(10));
        var existing = new CertificateMaterial(rsaCa.ExportCertificatePem(), rsa.ExportRSAPrivateKeyPem(), string.Empty, string.Empty);

        var plan = CertificatePlanner.Plan(existing, _options, Start, NoneTrusted);

        var ca = Assert.Single(Bundle(plan.Material));
        Assert.NotEqual(rsaCa.Thumbprint, ca.Thumbprint);
        Assert.NotNull(ca.GetECDsaPublicKey());
        using var server = Server(plan.Material);
        Assert.True(CertificateInspector.ChainsTo(server, [ca], Start));
    }

    [Fact]
    public void Plan_AfterLossEveryReplicaServesNewCa_OldCaDropped()
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted).Material;
        var old = Bundle(first)[0];
        var later = Start.AddDays(30);
        var repaired = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, later, Trusting(first), [old], InUse(old)).Material;
        var created = Bundle(repaired)[0];

        var oneSwitched = CertificatePlanner.Plan(repaired, _options, later, Trusting(repaired), [.. Bundle(repaired)], InUse(old, created));
        var allSwitched = CertificatePlanner.Plan(repaired, _options, later, Trusting(repaired), [.. Bundle(repaired)], InUse(created));

        Assert.Equal(2, Bundle(repaired).Count);
        Assert.False(oneSwitched.Changed, "a replica still serves the old CA's certificate");
        Assert.Equal([created.Thumbprint], Bundle(allSwitched.Material).Select(ca => ca.Thumbprint));
        Assert.Contains("dropping previous CAs that expired or that no replica serves certificates of any more", allSwitched.Reasons);
        using var server = Server(allSwitched.Material);
        Assert.True(CertificateInspector.ChainsTo(server, [created], later), "the server certificate stays that of the new CA");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Plan_SecondLossWhileReplicaServesOldestCa_KeepsEveryCaInUse(bool recordsKnown)
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted).Material;
        var oldest = Bundle(first)[0];
        var later = Start.AddDays(30);
        var repaired = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, later, Trusting(first), [oldest], InUse(oldest)).Material;

        // Corrupted before any replica got the repaired files: the live caBundle is [repaired CA, oldest].
        var live = Bundle(repaired);
        var corrupted = repaired with { CaKeyPem = "garbage" };
        var plan = CertificatePlanner.Plan(corrupted, _options, later, Trusting(repaired), [.. live], recordsKnown ? InUse(oldest) : null);

        using var oldServer = Server(first);
        Assert.True(CertificateInspector.ChainsTo(oldServer, Bundle(plan.Material), later), "replicas still serving the oldest CA's certificate must pass");
        Assert.Equal(recordsKnown ? 2 : 3, Bundle(plan.Material).Count);
    }

    private static HashSet<string> InUse(params X509Certificate2[] cas) =>
        cas.Select(ca => ca.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)).ToHashSet(StringComparer.Ordinal);

    private (CertificateMaterial Material, DateTimeOffset At) RolledOver()
    {
        var first = CertificatePlanner.Plan(CertificateMaterial.Empty, _options, Start, NoneTrusted).Material;
        var at = Start + _options.CaValidity - _options.CaRenewBefore + TimeSpan.FromDays(1);
        var renewed = CertificatePlanner.Plan(first with { TlsCertificatePem = string.Empty }, _options, at - TimeSpan.FromDays(2), Trusting(first)).Material;
        var rolled = CertificatePlanner.Plan(renewed, _options, at, Trusting(renewed)).Material;
        Assert.Equal(2, Bundle(rolled).Count);
        return (rolled, at);
    }
}
