namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>A validated IMDS token request, or the IMDS-style error it earns.</summary>
internal sealed record TokenRequest(string ClientId, string Resource, string Scope)
{
    public const string MetadataHeader = "Metadata";
    private static readonly string[] UnsupportedIdentitySelectors = ["object_id", "msi_res_id", "mi_res_id", "msi-res-id"];

    /// <summary>Pure parse of query and headers; returns null with <paramref name="error"/> set when the request is refused.</summary>
    public static TokenRequest? Parse(IQueryCollection query, IHeaderDictionary headers, string? defaultClientId, out ImdsError? error)
    {
        error = null;
        if (!string.Equals(headers[MetadataHeader].ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            error = new ImdsError("invalid_request", "Required metadata header not specified");
            return null;
        }
        var resource = query["resource"].ToString().Trim();
        if (resource.Length == 0)
        {
            error = new ImdsError("invalid_request", "Required query variable 'resource' is missing");
            return null;
        }
        foreach (var selector in UnsupportedIdentitySelectors)
        {
            if (query.ContainsKey(selector))
            {
                error = new ImdsError("invalid_request",
                    $"The workload identity proxy selects identities by client_id only; '{selector}' is not supported. Send client_id=<application (client) id> or omit it to use AZURE_CLIENT_ID.");
                return null;
            }
        }
        var clientId = query["client_id"].ToString().Trim();
        if (clientId.Length == 0)
        {
            clientId = defaultClientId ?? "";
        }

        if (clientId.Length == 0)
        {
            error = new ImdsError("invalid_request",
                "Identity not found: no client_id in the request and AZURE_CLIENT_ID is not set; annotate the service account with azure.workload.identity/client-id.");
            return null;
        }
        return new TokenRequest(clientId, resource, ToScope(resource));
    }

    /// <summary>
    /// v1 resource to v2 scope by appending "/.default" as the Azure SDKs do: a trailing slash is kept
    /// ("https://management.azure.com/" → "https://management.azure.com//.default") so Entra recovers the
    /// resource byte for byte and the token's audience matches what the caller asked for.
    /// </summary>
    public static string ToScope(string resource) =>
        resource.EndsWith("/.default", StringComparison.Ordinal) ? resource : resource + "/.default";
}
