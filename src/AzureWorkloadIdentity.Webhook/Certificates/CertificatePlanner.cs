using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Core.Certificates;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// Decides the Secret's next content from its current content and the time, without I/O:
/// <list type="bullet">
/// <item>no usable CA (missing, unparsable, expired, not ECDSA) → new CA and new server certificate; the CAs of the
///   live caBundle (<c>webhookTrustedCas</c>) stay in the bundle,
///   so replicas still serving certificates of the lost CA keep passing the API server's checks (the same two steps
///   as a planned rollover);</item>
/// <item>CA inside its renewal window → new signing CA, the old one stays in the bundle, and the server certificate
///   stays as it is while it is still good;</item>
/// <item>a previous CA leaves the bundle when it expires or when no live replica serves a certificate of it any more
///   (<c>casInUse</c>, from the <see cref="ServingRecord"/>s; null keeps every valid one);</item>
/// <item>server certificate missing, for another name, not chaining to the bundle or inside its renewal window →
///   new one from the signing CA;</item>
/// <item>server certificate signed by a previous CA → re-issued only once every webhook already trusts the new CA
///   (<c>webhookTrustedCaThumbprints</c> as read before this pass), so the API server never sees a
///   certificate it cannot verify.</item>
/// </list>
/// </summary>
public static class CertificatePlanner
{
    public const string CaCommonName = "azure-workload-identity-ca";

    // Bounds the bundle when CAs are lost again and again while no replica records what it serves.
    private const int MaxPreviousCas = 4;

    // Tolerates clock skew between the webhook and the API server, as the original did.
    private static readonly TimeSpan Backdate = TimeSpan.FromHours(1);

    public static CertificatePlan Plan(
        CertificateMaterial current,
        CertificateRotationOptions options,
        DateTimeOffset now,
        IReadOnlySet<string> webhookTrustedCaThumbprints,
        IReadOnlyList<X509Certificate2>? webhookTrustedCas = null,
        IReadOnlySet<string>? casInUse = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(webhookTrustedCaThumbprints);
        var reasons = new List<string>();
        var bundle = CertificateInspector.ParseBundle(current.CaBundlePem);
        using var loaded = TryLoadCa(bundle, current.CaKeyPem);
        var material = current;

        CertificateAuthority signing;
        CertificateAuthority? created = null;
        var trusted = new List<X509Certificate2>();
        if (loaded is null || !CertificateInspector.ValidFor(loaded.Certificate, now, TimeSpan.Zero))
        {
            reasons.Add(loaded is null ? "the secret holds no usable CA" : $"the CA expired on {loaded.Certificate.NotAfter:u}");
            created = CertificateAuthority.Create(CaCommonName, now - Backdate, options.CaValidity);
            signing = created;
            trusted.Add(signing.Certificate);
            material = CertificateMaterial.Empty;
            // Certificates of a CA the live caBundle does not trust fail already; only those it trusts are kept.
            var kept = Previous([.. webhookTrustedCas ?? []], trusted, now, casInUse);
            if (kept.Count > 0)
            {
                reasons.Add("keeping the CAs replicas still serve certificates of, until they serve the new CA's");
                trusted.AddRange(kept);
            }
        }
        else if (!CertificateInspector.ValidFor(loaded.Certificate, now, options.CaRenewBefore))
        {
            reasons.Add($"the CA expires on {loaded.Certificate.NotAfter:u}; rolling over to a new CA (both trusted meanwhile)");
            created = CertificateAuthority.Create(CaCommonName, now - Backdate, options.CaValidity);
            signing = created;
            trusted.Add(signing.Certificate);
            trusted.Add(loaded.Certificate);
            trusted.AddRange(Previous([.. bundle], trusted, now, casInUse));
        }
        else
        {
            signing = loaded;
            trusted.Add(loaded.Certificate);
            trusted.AddRange(Previous([.. bundle], trusted, now, casInUse));
            if (!trusted.Select(Thumbprint).SequenceEqual(bundle.Select(Thumbprint)))
            {
                reasons.Add(trusted.Count < bundle.Count
                    ? "dropping previous CAs that expired or that no replica serves certificates of any more"
                    : "trusting again the previous CAs replicas still serve certificates of");
            }
        }

        try
        {
            var bundlePem = string.Concat(trusted.Select(ca => ca.ExportCertificatePem() + "\n"));
            var caKeyPem = created is null ? material.CaKeyPem : created.KeyPem;
            material = material with { CaBundlePem = bundlePem, CaKeyPem = caKeyPem };

            var serverReason = ServerCertificateProblem(material, signing, trusted, options, now, webhookTrustedCaThumbprints);
            if (serverReason is not null)
            {
                reasons.Add(serverReason);
                using var server = signing.IssueServerCertificate([options.DnsName], [], now - Backdate, options.ServerValidity);
                material = material with
                {
                    TlsCertificatePem = server.ExportCertificatePem() + "\n",
                    TlsKeyPem = CertificateAuthority.ExportKeyPem(server),
                };
            }

            return reasons.Count == 0 ? new CertificatePlan(current, reasons) : new CertificatePlan(material, reasons);
        }
        finally
        {
            created?.Dispose();
        }
    }

    private static string? ServerCertificateProblem(
        CertificateMaterial material,
        CertificateAuthority signing,
        List<X509Certificate2> trusted,
        CertificateRotationOptions options,
        DateTimeOffset now,
        IReadOnlySet<string> webhookTrusted)
    {
        using var server = TryLoadServer(material);
        if (server is null)
        {
            return "the secret holds no usable server certificate and key";
        }

        if (!server.MatchesHostname(options.DnsName, allowWildcards: false, allowCommonName: false))
        {
            return $"the server certificate is not for {options.DnsName}";
        }

        if (!CertificateInspector.ChainsTo(server, [.. trusted], now))
        {
            return "the server certificate does not chain to the CA bundle";
        }

        if (!CertificateInspector.ValidFor(server, now, options.ServerRenewBefore))
        {
            return $"the server certificate expires on {server.NotAfter:u}";
        }

        if (!CertificateInspector.ChainsTo(server, [signing.Certificate], now) && webhookTrusted.Contains(Thumbprint(signing.Certificate)))
        {
            return "the server certificate is signed by the previous CA and the webhook configuration now trusts the new one";
        }

        return null;
    }

    /// <summary>
    /// The previous CAs to keep trusting: valid, not already in <paramref name="trusted"/>, and serving some live
    /// replica (all of them while that is not known), newest first, at most <see cref="MaxPreviousCas"/>.
    /// </summary>
    private static List<X509Certificate2> Previous(List<X509Certificate2> known, List<X509Certificate2> trusted, DateTimeOffset now, IReadOnlySet<string>? casInUse)
    {
        var taken = trusted.Select(Thumbprint).ToHashSet(StringComparer.Ordinal);
        return [.. known
            .Where(ca => CertificateInspector.ValidFor(ca, now, TimeSpan.Zero)
                && (casInUse is null || casInUse.Contains(Thumbprint(ca)))
                && taken.Add(Thumbprint(ca)))
            .OrderByDescending(ca => ca.NotBefore)
            .Take(MaxPreviousCas)];
    }

    private static CertificateAuthority? TryLoadCa(X509Certificate2Collection bundle, string keyPem)
    {
        if (bundle.Count == 0 || string.IsNullOrWhiteSpace(keyPem))
        {
            return null;
        }

        try
        {
            var authority = CertificateAuthority.FromPem(bundle[0].ExportCertificatePem(), keyPem);
            if (authority.Certificate.GetECDsaPublicKey() is null)
            {
                // Issuing needs an ECDSA CA key (e.g. an RSA CA left by another implementation is replaced).
                authority.Dispose();
                return null;
            }

            return authority;
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static X509Certificate2? TryLoadServer(CertificateMaterial material)
    {
        if (string.IsNullOrWhiteSpace(material.TlsCertificatePem) || string.IsNullOrWhiteSpace(material.TlsKeyPem))
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPem(material.TlsCertificatePem, material.TlsKeyPem);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static string Thumbprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);
}
