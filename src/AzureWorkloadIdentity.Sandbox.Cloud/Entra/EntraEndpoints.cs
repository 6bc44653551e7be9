using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Entra;

/// <summary>The Entra ID stand-in's routes, served at the root of its own origin (MSAL reads the first path segment as the tenant).</summary>
public static class EntraEndpoints
{
    public static IEndpointRouteBuilder MapEntra(this IEndpointRouteBuilder endpoints, TokenEndpoint tokenEndpoint, AccessTokenIssuer tokens)
    {
        ArgumentNullException.ThrowIfNull(tokenEndpoint);
        ArgumentNullException.ThrowIfNull(tokens);
        endpoints.MapPost("/{tenant}/oauth2/v2.0/token", (HttpContext context, string tenant) => tokenEndpoint.HandleAsync(context, tenant));
        endpoints.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (HttpContext context, string tenant) =>
        {
            var authority = $"{context.Request.Scheme}://{context.Request.Host}/{tenant}";
            return Results.Json(new JsonObject
            {
                ["issuer"] = $"{context.Request.Scheme}://{context.Request.Host}/{tokens.TenantId}/v2.0",
                ["token_endpoint"] = $"{authority}/oauth2/v2.0/token",
                ["authorization_endpoint"] = $"{authority}/oauth2/v2.0/authorize",
                ["device_authorization_endpoint"] = $"{authority}/oauth2/v2.0/devicecode",
                ["jwks_uri"] = $"{authority}/discovery/v2.0/keys",
                ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt"),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["tenant_region_scope"] = "NA",
            });
        });
        endpoints.MapGet("/{tenant}/discovery/v2.0/keys", () => Results.Json(new JsonObject
        {
            ["keys"] = new JsonArray(tokens.Key.ToJwk()),
        }));

        // Instance discovery answers only when the sandbox is reached as a Microsoft host; documented in docs/sandbox.md.
        endpoints.MapGet("/common/discovery/instance", (HttpContext context) => Results.Json(new JsonObject
        {
            ["tenant_discovery_endpoint"] = $"{context.Request.Scheme}://{context.Request.Host}/common/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new JsonArray(new JsonObject
            {
                ["preferred_network"] = context.Request.Host.ToString(),
                ["preferred_cache"] = context.Request.Host.ToString(),
                ["aliases"] = new JsonArray(context.Request.Host.ToString()),
            }),
        }));
        return endpoints;
    }
}
