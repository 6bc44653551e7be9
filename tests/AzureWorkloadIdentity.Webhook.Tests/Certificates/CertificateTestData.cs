using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Webhook.Certificates;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>Options and certificate helpers shared by the certificate tests.</summary>
internal static class CertificateTestData
{
    public static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static CertificateRotationOptions Options(string? certDir = null) => new()
    {
        Namespace = "wi-system",
        ServiceName = "wi-webhook",
        SecretName = "wi-cert",
        WebhookConfigurationName = "wi-mwc",
        CertDir = certDir ?? "/nonexistent",
        ReconcileInterval = TimeSpan.FromSeconds(30),
    };

    public static readonly IReadOnlySet<string> NoneTrusted = new HashSet<string>();

    public static X509Certificate2 Server(CertificateMaterial material) =>
        X509Certificate2.CreateFromPem(material.TlsCertificatePem, material.TlsKeyPem);

    public static X509Certificate2Collection Bundle(CertificateMaterial material) =>
        CertificateInspector.ParseBundle(material.CaBundlePem);

    /// <summary>Thumbprints of the CAs in the material's bundle: "the webhook trusts these".</summary>
    public static IReadOnlySet<string> Trusting(CertificateMaterial material) =>
        CertificateInspector.Thumbprints(Bundle(material));
}
