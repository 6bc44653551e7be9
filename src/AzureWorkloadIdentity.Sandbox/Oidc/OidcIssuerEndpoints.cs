using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AzureWorkloadIdentity.Sandbox.Oidc;

/// <summary>Serves an issuer's discovery document and key set at the paths under the issuer URL.</summary>
public static class OidcIssuerEndpoints
{
    public static IEndpointRouteBuilder MapServiceAccountIssuer(this IEndpointRouteBuilder endpoints, ServiceAccountIssuer issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        endpoints.MapGet(issuer.DiscoveryUri.AbsolutePath, () => Results.Json(issuer.GetDiscoveryDocument()));
        endpoints.MapGet(issuer.JwksUri.AbsolutePath, () => Results.Content(issuer.GetJwks().ToJsonString(), "application/jwk-set+json"));
        return endpoints;
    }
}
