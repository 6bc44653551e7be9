using AzureWorkloadIdentity.Sandbox.Cloud;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Sandbox.Entra;

/// <summary>
/// A self-signed client assertion (OpenID Connect <c>private_key_jwt</c>), as MSAL's <c>WithCertificate</c> and
/// Azure.Identity's ClientCertificateCredential make it: <c>iss</c> = <c>sub</c> = the client id, <c>aud</c> = the
/// token endpoint, header <c>x5t#S256</c> (PS256) or <c>x5t</c> (RS256) naming one of the application's registered
/// certificates, whose public key must verify the signature.
/// </summary>
internal static class CertificateAssertion
{
    /// <summary>Entra's refusal of the assertion, or null when the signature, key and audience are right (the time
    /// window is checked by the caller for both kinds of assertion).</summary>
    public static async Task<EntraError?> ValidateAsync(
        JsonWebToken jwt, string assertion, string clientId, Application? application, IReadOnlyList<string> audiences, DateTimeOffset now)
    {
        if (!string.Equals(jwt.Subject, clientId, StringComparison.OrdinalIgnoreCase))
        {
            return EntraErrors.MalformedAssertion("a sub claim that is not the client id; a client assertion names the client id in both iss and sub");
        }

        if (application is null || application.KeyCredentials.Count == 0)
        {
            return EntraErrors.NoConfiguredKeys();
        }

        if (Thumbprint(jwt) is not { } presented)
        {
            return EntraErrors.MalformedAssertion("a missing certificate thumbprint: the token header has neither x5t#S256 nor x5t");
        }

        var shown = presented.Bytes is null ? presented.Text : Convert.ToHexString(presented.Bytes);
        var key = presented.Bytes is null
            ? null
            : application.KeyCredentials.FirstOrDefault(k => (presented.Sha256 ? k.Sha256Thumbprint() : k.Sha1Thumbprint()).AsSpan().SequenceEqual(presented.Bytes));
        if (key is null)
        {
            return EntraErrors.UnknownCertificate(shown, clientId);
        }

        if (key.EndDateTime <= now || key.StartDateTime > now)
        {
            return EntraErrors.CertificateOutsideValidity(shown, clientId, key.StartDateTime, key.EndDateTime, expired: key.EndDateTime <= now);
        }

        var audience = jwt.Audiences.ToArray();
        if (audience.Length > 1)
        {
            return EntraErrors.TooManyAudiences(audience.Length);
        }

        if (audience.Length == 0 || !audiences.Any(a => string.Equals(a.TrimEnd('/'), audience[0].TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
        {
            return EntraErrors.InvalidAssertionAudience(audience.FirstOrDefault() ?? string.Empty, audiences[0]);
        }

        using var certificate = key.Load();
        return await AssertionSignature.IsValidAsync(assertion, [new X509SecurityKey(certificate)], tryAllKeys: true)
            ? null
            : EntraErrors.BadSignature();
    }

    /// <summary>
    /// The audiences Entra accepts for a client assertion sent to <c>{origin}/{tenant}/oauth2/v2.0/token</c>: the v2
    /// and v1 token endpoints of the tenant or of the multi-tenant aliases <c>common</c> and <c>organizations</c>, and
    /// the tenant's v2 issuer (RFC 7523bis). The first is the one MSAL sends.
    /// </summary>
    public static IReadOnlyList<string> AcceptedAudiences(string origin, string tenantId)
    {
        var audiences = new List<string>();
        foreach (var tenant in new[] { tenantId, "common", "organizations" })
        {
            audiences.Add($"{origin}/{tenant}/oauth2/v2.0/token");
            audiences.Add($"{origin}/{tenant}/oauth2/token");
        }

        audiences.Add($"{origin}/{tenantId}/v2.0");
        return audiences;
    }

    /// <summary>The header's <c>x5t#S256</c> (preferred, as Entra documents it) or <c>x5t</c>, base64url-decoded.</summary>
    private static (string Text, byte[]? Bytes, bool Sha256)? Thumbprint(JsonWebToken jwt)
    {
        var sha256 = jwt.TryGetHeaderValue<string>("x5t#S256", out var s256) && !string.IsNullOrEmpty(s256);
        var text = sha256 ? s256 : jwt.X5t;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return (text, Base64UrlEncoder.DecodeBytes(text), sha256);
        }
        catch (FormatException)
        {
            return (text, null, sha256);
        }
    }
}
