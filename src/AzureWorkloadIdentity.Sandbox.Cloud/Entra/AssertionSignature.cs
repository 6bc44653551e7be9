using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Sandbox.Entra;

/// <summary>
/// Checks only the signature of a client assertion (federated or self-signed); issuer, audience and time window are
/// Entra's own checks, made separately so each failure gets its own AADSTS code.
/// </summary>
internal static class AssertionSignature
{
    private static readonly JsonWebTokenHandler Handler = new();

    /// <param name="tryAllKeys">False matches the header's <c>kid</c>/<c>x5t</c> against <paramref name="keys"/>
    /// (an issuer's key set); true tries them all (the one certificate already chosen by thumbprint).</param>
    public static async Task<bool> IsValidAsync(string assertion, IReadOnlyList<SecurityKey> keys, bool tryAllKeys)
    {
        var result = await Handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            IssuerSigningKeys = keys,
            TryAllIssuerSigningKeys = tryAllKeys,
        });
        return result.IsValid;
    }
}
