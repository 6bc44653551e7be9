using AzureWorkloadIdentity.Sandbox.Cloud;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Sandbox.Entra;

/// <summary>
/// <c>POST /{tenant}/oauth2/v2.0/token</c>: the client-credentials grant with a client secret or a client assertion,
/// validated in Entra ID's order (tenant, client, assertion format, then by the assertion's kind, time window). An
/// assertion whose issuer is the client itself is self-signed with a registered certificate
/// (<see cref="CertificateAssertion"/>); any other is federated (credential by issuer, subject and audience, issuer
/// keys, signature).
/// </summary>
public sealed class TokenEndpoint(SandboxDirectory directory, AccessTokenIssuer tokens, IssuerKeyResolver issuers, TimeProvider time, EntraFaults? faults = null)
{
    private const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private const string DefaultSuffix = "/.default";
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<IResult> HandleAsync(HttpContext context, string tenant)
    {
        if (faults is not null && await faults.ApplyAsync(context, time) is { } fault)
        {
            return fault;
        }

        var correlation = context.Request.Headers["client-request-id"].ToString();
        var result = await ExchangeAsync(context.Request, tenant, context.RequestAborted);
        return result.Error is { } error ? error.ToResult(time, correlation) : Results.Json(result.Success);
    }

    private async Task<(EntraError? Error, TokenResponse? Success)> ExchangeAsync(HttpRequest request, string tenant, CancellationToken cancellationToken)
    {
        if (!string.Equals(tenant, directory.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return (EntraErrors.UnknownTenant(tenant), null);
        }

        if (!request.HasFormContentType)
        {
            return (EntraErrors.MissingParameter("grant_type"), null);
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var grantType = form["grant_type"].ToString();
        if (grantType.Length == 0)
        {
            return (EntraErrors.MissingParameter("grant_type"), null);
        }

        if (grantType != "client_credentials")
        {
            return (EntraErrors.UnsupportedGrantType(grantType), null);
        }

        var clientId = form["client_id"].ToString().Trim();
        if (clientId.Length == 0)
        {
            return (EntraErrors.MissingParameter("client_id"), null);
        }

        var scope = form["scope"].ToString();
        var resource = ResourceOf(scope);
        if (scope.Length == 0)
        {
            return (EntraErrors.MissingParameter("scope"), null);
        }

        if (resource is null)
        {
            return (EntraErrors.InvalidScope(scope), null);
        }

        var (application, identity) = directory.FindClient(clientId);
        if (application is null && identity is null)
        {
            return (EntraErrors.UnknownClient(clientId, tenant), null);
        }

        var secret = form["client_secret"].ToString();
        var assertion = form["client_assertion"].ToString().Trim();
        EntraError? refusal;
        if (secret.Length > 0)
        {
            refusal = application is not null && application.Secrets.Contains(secret, StringComparer.Ordinal)
                ? null
                : EntraErrors.InvalidSecret(clientId);
        }
        else if (assertion.Length > 0)
        {
            var assertionType = form["client_assertion_type"].ToString();
            refusal = assertionType != JwtBearer
                ? EntraErrors.UnsupportedAssertionType(assertionType)
                : await ValidateAssertionAsync(request, tenant, clientId, assertion, application, identity, cancellationToken);
        }
        else
        {
            refusal = EntraErrors.MissingCredential();
        }

        if (refusal is not null)
        {
            return (refusal, null);
        }

        var principalId = identity?.PrincipalId
            ?? directory.Snapshot.ServicePrincipals.Values.FirstOrDefault(p => string.Equals(p.AppId, clientId, StringComparison.OrdinalIgnoreCase))?.ObjectId;
        if (principalId is null)
        {
            return (EntraErrors.MissingServicePrincipal(clientId, tenant), null);
        }

        var accessToken = tokens.Issue(resource, clientId, principalId, byAssertion: secret.Length == 0);
        var seconds = (int)tokens.Lifetime.TotalSeconds;
        return (null, new TokenResponse("Bearer", seconds, seconds, accessToken));
    }

    private async Task<EntraError?> ValidateAssertionAsync(
        HttpRequest request, string tenant, string clientId, string assertion, Application? application, UserAssignedIdentity? identity,
        CancellationToken cancellationToken)
    {
        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(assertion);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return EntraErrors.MalformedAssertion("a bad format");
        }

        var issuer = jwt.Issuer;
        if (string.IsNullOrEmpty(issuer))
        {
            return EntraErrors.MalformedAssertion("a missing iss claim");
        }

        if (string.IsNullOrEmpty(jwt.Subject))
        {
            return EntraErrors.MalformedAssertion("a missing sub claim");
        }

        // Entra tells a self-signed client assertion from a federated one by its issuer: the client itself.
        var now = time.GetUtcNow();
        var refusal = string.Equals(issuer, clientId, StringComparison.OrdinalIgnoreCase)
            ? await CertificateAssertion.ValidateAsync(
                jwt, assertion, clientId, application, CertificateAssertion.AcceptedAudiences($"{request.Scheme}://{request.Host}", tenant), now)
            : await ValidateFederatedAsync(jwt, assertion, application?.FederatedCredentials ?? identity!.FederatedCredentials, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        DateTimeOffset? notBefore = jwt.TryGetPayloadValue<long>("nbf", out var nbf) ? DateTimeOffset.FromUnixTimeSeconds(nbf) : null;
        DateTimeOffset? expires = jwt.TryGetPayloadValue<long>("exp", out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : null;
        return expires is null || expires <= now || notBefore > now ? EntraErrors.OutsideValidTime(now, notBefore, expires) : null;
    }

    private async Task<EntraError?> ValidateFederatedAsync(JsonWebToken jwt, string assertion, IReadOnlyList<FederatedCredential> credentials, CancellationToken cancellationToken)
    {
        var issuer = jwt.Issuer;
        var subject = jwt.Subject;
        var audiences = jwt.Audiences.ToArray();
        if (IsEntraIssuer(issuer))
        {
            return EntraErrors.EntraIssuedAssertion();
        }

        var byIssuer = credentials.Where(c => c.Issuer == issuer).ToArray();
        if (byIssuer.Length == 0)
        {
            return EntraErrors.NoMatchingIssuer(issuer);
        }

        var bySubject = byIssuer.Where(c => c.Subject == subject).ToArray();
        if (bySubject.Length == 0)
        {
            var caseOnly = byIssuer.Any(c => string.Equals(c.Subject, subject, StringComparison.OrdinalIgnoreCase));
            return EntraErrors.NoMatchingSubject(subject, caseOnly);
        }

        if (!bySubject.Any(c => c.Audiences.Count == 1 && audiences.Contains(c.Audiences[0], StringComparer.Ordinal)))
        {
            return EntraErrors.NoMatchingRecord(issuer, subject, string.Join(",", audiences));
        }

        var (keys, fetchError) = await issuers.GetKeysAsync(issuer, refresh: false, cancellationToken);
        if (keys is null)
        {
            return EntraErrors.IssuerUnreachable(issuer, fetchError ?? "unknown");
        }

        if (!await AssertionSignature.IsValidAsync(assertion, keys, tryAllKeys: false))
        {
            // A rotated issuer key may be newer than the cache: look once more before refusing.
            (keys, fetchError) = await issuers.GetKeysAsync(issuer, refresh: true, cancellationToken);
            if (keys is null)
            {
                return EntraErrors.IssuerUnreachable(issuer, fetchError ?? "unknown");
            }

            if (!await AssertionSignature.IsValidAsync(assertion, keys, tryAllKeys: false))
            {
                return EntraErrors.BadSignature();
            }
        }

        return null;
    }

    private static bool IsEntraIssuer(string issuer) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out var uri)
        && (uri.Host.EndsWith("login.microsoftonline.com", StringComparison.OrdinalIgnoreCase)
            || uri.Host.EndsWith("sts.windows.net", StringComparison.OrdinalIgnoreCase));

    /// <summary>The resource of a client-credentials scope: the one <c>…/.default</c> scope without the suffix.</summary>
    public static string? ResourceOf(string scope)
    {
        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var single = scopes.Where(s => s.EndsWith(DefaultSuffix, StringComparison.Ordinal)).ToArray();
        return single.Length == 1 && single[0].Length > DefaultSuffix.Length ? single[0][..^DefaultSuffix.Length] : null;
    }
}
