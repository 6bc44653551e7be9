using System.Security.Cryptography.X509Certificates;

namespace AzureWorkloadIdentity.Webhook.Tls;

/// <summary>
/// Decides whether a new certificate from the cert dir may replace the one being served (the first one is always
/// loaded: serving nothing fails every handshake too, and readiness keeps traffic away meanwhile).
/// </summary>
internal interface IServingCertificateGuard
{
    /// <summary>Raised when a certificate held back may have become acceptable.</summary>
    event Action? Changed;

    /// <summary>True when <paramref name="candidate"/> may be served; otherwise a one-line reason.</summary>
    bool Accepts(X509Certificate2 candidate, out string reason);
}
