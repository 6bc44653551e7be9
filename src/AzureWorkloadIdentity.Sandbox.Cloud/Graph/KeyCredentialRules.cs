using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>
/// Graph's rules for <c>PATCH /applications/{id}</c> with <c>keyCredentials</c>: the list replaces the application's
/// certificates; an entry without <c>key</c> keeps the existing credential with that <c>keyId</c>; a new entry needs
/// the base64 DER of an X.509 certificate. <c>customKeyIdentifier</c> defaults to the SHA-1 thumbprint, the dates
/// and display name to the certificate's validity and subject, as the Entra portal sets them.
/// </summary>
internal static class KeyCredentialRules
{
    /// <summary>The application's new certificate list, or why <paramref name="requested"/> is refused.</summary>
    public static (IReadOnlyList<KeyCredential>? Credentials, string? Error) Replace(
        IReadOnlyList<KeyCredential> existing, IReadOnlyList<KeyCredentialRequest> requested)
    {
        var result = new List<KeyCredential>();
        foreach (var request in requested)
        {
            if (!string.Equals(request.Type, KeyCredential.AsymmetricX509Cert, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(request.Usage, KeyCredential.Verify, StringComparison.OrdinalIgnoreCase))
            {
                return (null, $"Key credential type '{request.Type}' with usage '{request.Usage}' is not supported; the sandbox accepts type '{KeyCredential.AsymmetricX509Cert}' with usage '{KeyCredential.Verify}'.");
            }

            var (credential, error) = request.Key is null ? Keep(existing, request) : New(request);
            if (error is not null)
            {
                return (null, error);
            }

            if (result.Any(c => string.Equals(c.KeyId, credential!.KeyId, StringComparison.OrdinalIgnoreCase)))
            {
                return (null, $"Key credential keyId '{credential!.KeyId}' appears more than once; each keyId must be unique.");
            }

            result.Add(credential!);
        }

        return (result, null);
    }

    private static (KeyCredential?, string?) Keep(IReadOnlyList<KeyCredential> existing, KeyCredentialRequest request) =>
        existing.FirstOrDefault(c => string.Equals(c.KeyId, request.KeyId, StringComparison.OrdinalIgnoreCase)) is { } kept
            ? (kept, null)
            : (null, $"Property 'key' is required for a new key credential (keyId '{request.KeyId}' is not one of the application's).");

    private static (KeyCredential?, string?) New(KeyCredentialRequest request)
    {
        if (request.KeyId is not null && !Guid.TryParse(request.KeyId, out _))
        {
            return (null, $"Invalid value specified for property 'keyId' of resource 'KeyCredential': '{request.KeyId}' is not a GUID.");
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(request.Key!);
            using var rsa = certificate.GetRSAPublicKey();
            if (rsa is null)
            {
                return (null, "Key credential 'key' must be a certificate with an RSA public key; Entra ID verifies client assertions signed with RS256 or PS256.");
            }

            var der = certificate.RawData;
            var credential = new KeyCredential(
                request.KeyId ?? Guid.NewGuid().ToString(),
                request.DisplayName ?? certificate.Subject,
                der,
                request.CustomKeyIdentifier ?? certificate.GetCertHash(),
                request.StartDateTime ?? new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
                request.EndDateTime ?? new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
            return credential.EndDateTime <= credential.StartDateTime
                ? (null, "Key credential end date must be later than its start date.")
                : (credential, null);
        }
        catch (CryptographicException e)
        {
            return (null, $"Key credential 'key' is not a valid X.509 certificate (base64 of its DER encoding): {e.Message}");
        }
    }
}
