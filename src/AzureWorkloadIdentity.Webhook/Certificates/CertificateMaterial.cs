using System.Text;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// The four PEM entries of the certificate Secret. <c>ca.crt</c> is a bundle: the signing CA first (the one
/// <c>ca.key</c> belongs to), then any previous CA still trusted during a rollover. It is also the caBundle.
/// </summary>
internal sealed record CertificateMaterial(string CaBundlePem, string CaKeyPem, string TlsCertificatePem, string TlsKeyPem)
{
    public const string CaCertificateKey = "ca.crt";
    public const string CaKeyKey = "ca.key";
    public const string TlsCertificateKey = "tls.crt";
    public const string TlsKeyKey = "tls.key";

    public static CertificateMaterial Empty { get; } = new(string.Empty, string.Empty, string.Empty, string.Empty);

    /// <summary>Reads the Secret's data (absent keys become empty strings).</summary>
    public static CertificateMaterial FromSecretData(IDictionary<string, byte[]>? data)
    {
        string Read(string key) => data is not null && data.TryGetValue(key, out var value) && value is not null
            ? Encoding.ASCII.GetString(value)
            : string.Empty;

        return new CertificateMaterial(Read(CaCertificateKey), Read(CaKeyKey), Read(TlsCertificateKey), Read(TlsKeyKey));
    }

    public Dictionary<string, byte[]> ToSecretData() => new(StringComparer.Ordinal)
    {
        [CaCertificateKey] = Encoding.ASCII.GetBytes(CaBundlePem),
        [CaKeyKey] = Encoding.ASCII.GetBytes(CaKeyPem),
        [TlsCertificateKey] = Encoding.ASCII.GetBytes(TlsCertificatePem),
        [TlsKeyKey] = Encoding.ASCII.GetBytes(TlsKeyPem),
    };

    /// <summary>The caBundle bytes for <c>clientConfig.caBundle</c> (the API carries them base64-encoded).</summary>
    public byte[] CaBundleBytes => Encoding.ASCII.GetBytes(CaBundlePem);
}
