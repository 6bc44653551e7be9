using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.Primitives;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Sandbox.Entra;

/// <summary>
/// Issues the sandbox's Entra ID access tokens (v1 app-only tokens, as Azure resources get them) and validates them
/// for the resource servers (Graph, Resource Manager, Key Vault).
/// </summary>
public sealed class AccessTokenIssuer : IAccessTokenValidator, IDisposable
{
    /// <summary>Lifetime of issued tokens, as Entra ID's client-credential tokens (about an hour).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(3599);

    /// <summary>
    /// How long after its expiry a token is still accepted, as Azure's resource servers do (the identity model's
    /// default skew): a client that sends a token in the second it expires is not refused.
    /// </summary>
    public static readonly TimeSpan AcceptedClockSkew = TimeSpan.FromMinutes(5);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _time;

    public AccessTokenIssuer(string tenantId, TimeProvider? time = null, SigningKey? key = null, TimeSpan? lifetime = null)
    {
        TenantId = tenantId;
        Lifetime = lifetime ?? DefaultLifetime;
        if (Lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "an access token's lifetime must be positive");
        }

        _time = time ?? TimeProvider.System;
        Key = key ?? SigningKey.Generate();
    }

    public string TenantId { get; }

    /// <summary>How long the tokens it issues are valid (<c>expires_in</c>).</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>The key tokens are signed with; published at the tenant's <c>discovery/v2.0/keys</c>.</summary>
    public SigningKey Key { get; }

    /// <summary>The v1 issuer, <c>https://sts.windows.net/{tenant}/</c>.</summary>
    public string Issuer => $"https://sts.windows.net/{TenantId}/";

    /// <summary>Signs an app-only token for <paramref name="resource"/> (the scope without <c>/.default</c>).</summary>
    public string Issue(string resource, string clientId, string principalId, bool byAssertion)
    {
        var now = _time.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = Key.Credentials,
            Claims = new Dictionary<string, object>
            {
                ["aud"] = resource,
                ["idp"] = Issuer,
                ["tid"] = TenantId,
                ["appid"] = clientId,
                ["azp"] = clientId,
                ["appidacr"] = byAssertion ? "2" : "1",
                ["oid"] = principalId,
                ["sub"] = principalId,
                ["idtyp"] = "app",
                ["ver"] = "1.0",
                ["uti"] = Guid.NewGuid().ToString("N"),
            },
        };
        return _handler.CreateToken(descriptor);
    }

    public AccessTokenValidation Validate(string? authorizationHeader, IReadOnlyCollection<string> acceptedAudiences)
    {
        ArgumentNullException.ThrowIfNull(acceptedAudiences);
        if (string.IsNullOrWhiteSpace(authorizationHeader))
        {
            return AccessTokenValidation.Refused("the request has no Authorization header");
        }

        const string Bearer = "Bearer ";
        if (!authorizationHeader.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return AccessTokenValidation.Refused("the Authorization header is not a Bearer token");
        }

        var token = authorizationHeader[Bearer.Length..].Trim();
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudiences = acceptedAudiences,
            IssuerSigningKey = Key.SecurityKey,
            ValidateLifetime = false,
            ClockSkew = TimeSpan.Zero,
        };

        // Keys are local, so validation completes synchronously; no I/O is awaited here.
        var result = _handler.ValidateTokenAsync(token, parameters).GetAwaiter().GetResult();
        if (!result.IsValid)
        {
            return AccessTokenValidation.Refused(result.Exception?.Message.Split(':')[0] ?? "the token is not valid");
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (jwt.ValidTo + AcceptedClockSkew <= _time.GetUtcNow().UtcDateTime)
        {
            return AccessTokenValidation.Refused($"the token expired at {jwt.ValidTo:o}");
        }

        return new AccessTokenValidation(
            true,
            Claim(jwt, "tid"),
            Claim(jwt, "oid"),
            Claim(jwt, "appid"),
            null);
    }

    private static string? Claim(JsonWebToken jwt, string name) =>
        jwt.TryGetPayloadValue<string>(name, out var value) ? value : null;

    public void Dispose() => Key.Dispose();
}
