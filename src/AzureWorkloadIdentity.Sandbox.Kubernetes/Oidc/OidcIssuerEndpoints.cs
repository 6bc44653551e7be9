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

    /// <summary>
    /// Maps an issuer whose URL is known only once the server has its port: <paramref name="issuerPath"/> is the
    /// issuer URL's path (e.g. <c>/3f2a…/</c>) and <paramref name="issuer"/> is asked on each request.
    /// </summary>
    public static IEndpointRouteBuilder MapServiceAccountIssuer(this IEndpointRouteBuilder endpoints, string issuerPath, Func<ServiceAccountIssuer> issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var prefix = issuerPath.TrimEnd('/');
        endpoints.MapGet(prefix + "/.well-known/openid-configuration", () => Results.Json(issuer().GetDiscoveryDocument()));
        endpoints.MapGet(prefix + "/openid/v1/jwks", () => Results.Content(issuer().GetJwks().ToJsonString(), "application/jwk-set+json"));
        return endpoints;
    }
}
