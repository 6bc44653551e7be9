using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Hosting;

/// <summary>
/// The custom-cloud description azwi reads through <c>AZURE_ENVIRONMENT_FILEPATH</c> (with
/// <c>--azure-env AzureStackCloud</c>), in the key names of the Azure environment JSON files the original tool read.
/// </summary>
internal static class CloudConfigurationFile
{
    public static JsonObject Create(string name, Uri authorityHost, Uri resourceManager, Uri graph, string resourceManagerAudience) => new()
    {
        ["name"] = name,
        ["activeDirectoryEndpoint"] = authorityHost.ToString(),
        ["resourceManagerEndpoint"] = resourceManager.ToString(),
        ["microsoftGraphEndpoint"] = graph.ToString(),
        ["graphEndpoint"] = graph.ToString(),
        ["tokenAudience"] = resourceManagerAudience,
        ["keyVaultDNSSuffix"] = "vault.azure.net",
        ["resourceIdentifiers"] = new JsonObject
        {
            ["graph"] = "https://graph.microsoft.com/",
            ["microsoftGraph"] = "https://graph.microsoft.com/",
            ["keyVault"] = "https://vault.azure.net",
        },
    };
}
