using System.Globalization;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>How the directory's records look on Graph v1.0 (the properties SDK users read).</summary>
internal static class GraphRepresentations
{
    /// <summary>The application; certificate bytes (<c>key</c>) only when <paramref name="withKeys"/>, as Graph returns
    /// them only to a <c>$select=keyCredentials</c> of a single application.</summary>
    public static JsonObject Application(Application app, bool withKeys) => new()
    {
        ["id"] = app.ObjectId,
        ["appId"] = app.AppId,
        ["displayName"] = app.DisplayName,
        ["createdDateTime"] = Timestamp(app.CreatedDateTime),
        ["signInAudience"] = "AzureADMyOrg",
        ["identifierUris"] = new JsonArray(),
        ["tags"] = new JsonArray(),
        ["keyCredentials"] = new JsonArray([.. app.KeyCredentials.Select(k => (JsonNode?)KeyCredential(k, withKeys))]),
        // Secrets are never echoed; the sandbox only says how many there are through the array length.
        ["passwordCredentials"] = new JsonArray([.. app.Secrets.Select(_ => (JsonNode?)new JsonObject { ["hint"] = null })]),
    };

    public static JsonObject Application(Application app) => Application(app, withKeys: false);

    public static JsonObject KeyCredential(KeyCredential credential, bool withKey) => new()
    {
        ["customKeyIdentifier"] = Convert.ToBase64String(credential.CustomKeyIdentifier),
        ["displayName"] = credential.DisplayName,
        ["endDateTime"] = Timestamp(credential.EndDateTime),
        ["key"] = withKey ? Convert.ToBase64String(credential.Certificate) : null,
        ["keyId"] = credential.KeyId,
        ["startDateTime"] = Timestamp(credential.StartDateTime),
        ["type"] = Cloud.KeyCredential.AsymmetricX509Cert,
        ["usage"] = Cloud.KeyCredential.Verify,
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
