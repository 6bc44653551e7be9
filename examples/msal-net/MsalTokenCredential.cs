using Azure.Core;
using Microsoft.Identity.Client;

namespace AzureWorkloadIdentity.Examples;

/// <summary>
/// An Azure.Core credential backed by an MSAL confidential client. The client assertion is the projected
/// service-account token, read from the file on every exchange: the kubelet rotates it, so a token read once at
/// start-up stops working after its lifetime.
/// </summary>
internal sealed class MsalTokenCredential : TokenCredential
{
    private readonly IConfidentialClientApplication _application;

    public MsalTokenCredential(string clientId, string tenantId, Uri authorityHost, string tokenFile, bool disableInstanceDiscovery)
    {
        _application = ConfidentialClientApplicationBuilder.Create(clientId)
            .WithAuthority(new Uri(authorityHost, tenantId).AbsoluteUri)
            .WithInstanceDiscovery(!disableInstanceDiscovery)
            .WithClientAssertion(async (AssertionRequestOptions options) =>
                (await File.ReadAllTextAsync(tokenFile, options.CancellationToken)).Trim())
            .Build();
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        var result = await _application.AcquireTokenForClient(requestContext.Scopes).ExecuteAsync(cancellationToken);
        return new AccessToken(result.AccessToken, result.ExpiresOn);
    }
}
