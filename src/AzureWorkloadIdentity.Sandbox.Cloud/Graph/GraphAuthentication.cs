using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>
/// Requires a bearer token the sandbox's Entra ID issued for Microsoft Graph, in the sandbox's tenant. Anything else
/// answers 401 with Graph's <c>InvalidAuthenticationToken</c> error and its <c>WWW-Authenticate</c> challenge.
/// </summary>
internal sealed class GraphAuthentication(SandboxDirectory directory, IAccessTokenValidator tokens) : IEndpointFilter
{
    /// <summary>The audiences Graph accepts: its URL (with or without the slash) and its well-known app id.</summary>
    public static readonly IReadOnlyCollection<string> Audiences =
    [
        "https://graph.microsoft.com",
        "https://graph.microsoft.com/",
        "00000003-0000-0000-c000-000000000000",
    ];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var message = header.Length == 0
            ? "Access token is empty."
            : tokens.Validate(header, Audiences) switch
            {
                { IsValid: false, Error: var error } => $"Access token validation failure. {error}",
                { TenantId: var tenant } when !string.Equals(tenant, directory.TenantId, StringComparison.OrdinalIgnoreCase) =>
                    $"Access token validation failure. The token was issued for tenant '{tenant}', not this directory's tenant '{directory.TenantId}'.",
                _ => null,
            };
        if (message is null)
        {
            return await next(context);
        }

        http.Response.Headers.WWWAuthenticate =
            $"Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/{directory.TenantId}/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
        return GraphError.Create(http, StatusCodes.Status401Unauthorized, GraphError.InvalidAuthenticationToken, message);
    }
}
