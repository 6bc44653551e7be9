using Azure.Core;
using AzureWorkloadIdentity.Sandbox.Directory;

namespace AzureWorkloadIdentity.Sandbox.Tests.Graph;

/// <summary>
/// Stand-in tokens for the Graph and Resource Manager tests: <c>test|{tenant}|{oid}|{audience}</c>. The validator
/// checks the audience against what the endpoint accepts, so audience handling is still exercised.
/// </summary>
internal sealed class TestAccessTokens : IAccessTokenValidator
{
    private const string Prefix = "test";

    public static string Issue(string tenantId, string audience, string objectId = "11111111-2222-3333-4444-555555555555") =>
        string.Join('|', Prefix, tenantId, objectId, audience);

    public AccessTokenValidation Validate(string? authorizationHeader, IReadOnlyCollection<string> acceptedAudiences)
    {
        if (authorizationHeader is null || !authorizationHeader.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return AccessTokenValidation.Refused("The Authorization header is not a Bearer token.");
        }

        var parts = authorizationHeader["Bearer ".Length..].Split('|');
        if (parts.Length != 4 || parts[0] != Prefix)
        {
            return AccessTokenValidation.Refused("The token is malformed.");
        }

        return acceptedAudiences.Contains(parts[3], StringComparer.Ordinal)
            ? new AccessTokenValidation(true, parts[1], parts[2], null, null)
            : AccessTokenValidation.Refused($"Invalid audience '{parts[3]}'.");
    }
}

/// <summary>A credential that hands out <see cref="TestAccessTokens"/> for the scope asked (audience = scope less "/.default").</summary>
internal sealed class TestTokenCredential(string tenantId, string? fixedAudience = null) : TokenCredential
{
    private const string DefaultSuffix = "/.default";

    public List<string> RequestedScopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        var scope = requestContext.Scopes.Single();
        lock (RequestedScopes)
        {
            RequestedScopes.Add(scope);
        }

        var audience = fixedAudience ?? (scope.EndsWith(DefaultSuffix, StringComparison.Ordinal) ? scope[..^DefaultSuffix.Length] : scope);
        return new AccessToken(TestAccessTokens.Issue(tenantId, audience), DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
