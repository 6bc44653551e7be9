using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>Pure checks on PEM certificates: parsing bundles, chain building against a bundle, validity windows.</summary>
internal static class CertificateInspector
{
    /// <summary>The certificates of a PEM bundle in order; empty when the text holds none or is malformed.</summary>
    public static X509Certificate2Collection ParseBundle(string? pem)
    {
        var collection = new X509Certificate2Collection();
        if (string.IsNullOrWhiteSpace(pem))
        {
            return collection;
        }

        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException)
        {
            return [];
        }

        return collection;
    }

    /// <summary>
    /// True when <paramref name="certificate"/> chains to one of <paramref name="trustedCas"/> at <paramref name="at"/>
    /// (only those roots are trusted; no system store, no revocation check, which a private webhook CA does not have).
    /// </summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection trustedCas, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(trustedCas);
        if (trustedCas.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(certificate);
    }

    /// <summary>True when the certificate is valid at <paramref name="now"/> and still will be after <paramref name="margin"/>.</summary>
    public static bool ValidFor(X509Certificate2 certificate, DateTimeOffset now, TimeSpan margin)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return notBefore <= now && now + margin < notAfter;
    }

    /// <summary>Thumbprints (SHA-256) of a bundle, for comparisons that ignore PEM formatting.</summary>
    public static IReadOnlySet<string> Thumbprints(X509Certificate2Collection certificates) =>
        certificates.Select(c => c.GetCertHashString(HashAlgorithmName.SHA256)).ToHashSet(StringComparer.Ordinal);
}
