using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>
/// Requires a bearer token for Resource Manager from the sandbox's Entra ID. Without one it answers as ARM does:
/// 401 with <c>WWW-Authenticate: Bearer authorization_uri="{authority}{tenant}", error="invalid_token", …</c> —
/// this is how azwi discovers the tenant of a subscription.
/// </summary>
internal sealed class ArmAuthentication(SandboxDirectory directory, IAccessTokenValidator tokens, ResourceManagerOptions options) : IEndpointFilter
{
    /// <summary>ARM's audience with and without the trailing slash (the SDKs ask for <c>https://management.azure.com//.default</c>),
    /// and the classic one the Azure CLI uses.</summary>
    public static readonly IReadOnlyCollection<string> Audiences =
    [
        "https://management.azure.com/",
        "https://management.azure.com",
        "https://management.core.windows.net/",
    ];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Refuse(http, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.",
                "The authentication failed because of missing 'Authorization' header.");
        }

        var validation = tokens.Validate(header, Audiences);
        if (!validation.IsValid)
        {
            return Refuse(http, "InvalidAuthenticationToken", $"The access token is invalid. {validation.Error}", "The access token is invalid.");
        }

        if (!string.Equals(validation.TenantId, directory.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(http, "InvalidAuthenticationTokenTenant",
                $"The access token is from the wrong issuer: tenant '{validation.TenantId}'. It must match the tenant '{directory.TenantId}' associated with this subscription. Please use the authority (URL) '{Authority}' to get the token.",
                "The access token is from the wrong issuer.");
        }

        return await next(context);
    }

    private string Authority => $"{options.AuthorityHost.ToString().TrimEnd('/')}/{directory.TenantId}";

    private IResult Refuse(HttpContext http, string code, string message, string description)
    {
        http.Response.Headers.WWWAuthenticate =
            $"Bearer authorization_uri=\"{Authority}\", error=\"invalid_token\", error_description=\"{description}\"";
        return ArmError.Create(StatusCodes.Status401Unauthorized, code, message);
    }
}
