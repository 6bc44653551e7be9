using System.Globalization;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>How the directory's records look on Graph v1.0 (the properties SDK users read).</summary>
internal static class GraphRepresentations
{
    public static JsonObject Application(Application app) => new()
    {
        ["id"] = app.ObjectId,
        ["appId"] = app.AppId,
        ["displayName"] = app.DisplayName,
        ["createdDateTime"] = Timestamp(app.CreatedDateTime),
        ["signInAudience"] = "AzureADMyOrg",
        ["identifierUris"] = new JsonArray(),
        ["tags"] = new JsonArray(),
        ["keyCredentials"] = new JsonArray(),
        // Secrets are never echoed; the sandbox only says how many there are through the array length.
        ["passwordCredentials"] = new JsonArray([.. app.Secrets.Select(_ => (JsonNode?)new JsonObject { ["hint"] = null })]),
    };

    public static JsonObject ServicePrincipal(ServicePrincipal sp) => new()
    {
        ["id"] = sp.ObjectId,
        ["appId"] = sp.AppId,
        ["displayName"] = sp.DisplayName,
        ["appOwnerOrganizationId"] = sp.TenantId,
        ["servicePrincipalType"] = "Application",
        ["accountEnabled"] = true,
        ["servicePrincipalNames"] = GraphJson.Strings([sp.AppId]),
        ["tags"] = new JsonArray(),
    };

    public static JsonObject FederatedCredential(FederatedCredential credential) => new()
    {
        ["id"] = credential.Id,
        ["name"] = credential.Name,
        ["issuer"] = credential.Issuer,
        ["subject"] = credential.Subject,
        ["description"] = credential.Description,
        ["audiences"] = GraphJson.Strings(credential.Audiences),
    };

    private static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
