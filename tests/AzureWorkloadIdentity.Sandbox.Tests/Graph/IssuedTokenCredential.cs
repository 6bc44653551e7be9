using Azure.Core;
using AzureWorkloadIdentity.Sandbox.Entra;

namespace AzureWorkloadIdentity.Sandbox.Tests.Graph;

/// <summary>
/// Real sandbox access tokens without a round trip to the token endpoint: signed by the sandbox's
/// <see cref="AccessTokenIssuer"/> for the resource of the scope asked (scope less "/.default"), so Graph and Resource
/// Manager validate them exactly as they validate tokens from the sandbox's Entra ID.
/// </summary>
internal sealed class IssuedTokenCredential(AccessTokenIssuer issuer, string? fixedResource = null) : TokenCredential
{
    private const string DefaultSuffix = "/.default";

    public static readonly string ClientId = Guid.NewGuid().ToString();
    public static readonly string ObjectId = Guid.NewGuid().ToString();

    public List<string> RequestedScopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        var scope = requestContext.Scopes.Single();
        lock (RequestedScopes)
        {
            RequestedScopes.Add(scope);
        }

        var resource = fixedResource ?? (scope.EndsWith(DefaultSuffix, StringComparison.Ordinal) ? scope[..^DefaultSuffix.Length] : scope);
        return new AccessToken(issuer.Issue(resource, ClientId, ObjectId, byAssertion: false), DateTimeOffset.UtcNow.AddMinutes(30));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
