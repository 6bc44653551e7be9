namespace AzureWorkloadIdentity.Core;

/// <summary>An Azure cloud: its canonical name and the endpoints the product uses.</summary>
/// <param name="Name">Canonical name, e.g. <c>AzurePublicCloud</c>.</param>
/// <param name="AuthorityHost">Entra ID authority host, with its trailing slash (as injected into pods).</param>
/// <param name="ResourceManagerEndpoint">Resource Manager endpoint, with its trailing slash.</param>
/// <param name="GraphEndpoint">Microsoft Graph endpoint, with its trailing slash.</param>
/// <param name="KeyVaultResource">Key Vault resource (audience), without a trailing slash.</param>
public sealed record AzureCloud(
    string Name,
    Uri AuthorityHost,
    Uri ResourceManagerEndpoint,
    Uri GraphEndpoint,
    string KeyVaultResource)
{
    public static readonly AzureCloud Public = new(
        "AzurePublicCloud",
        new Uri("https://login.microsoftonline.com/"),
        new Uri("https://management.azure.com/"),
        new Uri("https://graph.microsoft.com/"),
        "https://vault.azure.net");

    public static readonly AzureCloud China = new(
        "AzureChinaCloud",
        new Uri("https://login.chinacloudapi.cn/"),
        new Uri("https://management.chinacloudapi.cn/"),
        new Uri("https://microsoftgraph.chinacloudapi.cn/"),
        "https://vault.azure.cn");

    public static readonly AzureCloud USGovernment = new(
        "AzureUSGovernmentCloud",
        new Uri("https://login.microsoftonline.us/"),
        new Uri("https://management.usgovcloudapi.net/"),
        new Uri("https://graph.microsoft.us/"),
        "https://vault.usgovcloudapi.net");

    /// <summary>Microsoft Cloud Germany closed on 29 October 2021; kept because the original accepted the name.</summary>
    public static readonly AzureCloud Germany = new(
        "AzureGermanCloud",
        new Uri("https://login.microsoftonline.de/"),
        new Uri("https://management.microsoftazure.de/"),
        new Uri("https://graph.microsoft.de/"),
        "https://vault.microsoftazure.de");
}
