namespace AzureWorkloadIdentity.Core;

/// <summary>Environment variables injected into containers and read by the Azure SDKs.</summary>
public static class WorkloadIdentityEnvironment
{
    public const string ClientId = "AZURE_CLIENT_ID";
    public const string TenantId = "AZURE_TENANT_ID";
    public const string FederatedTokenFile = "AZURE_FEDERATED_TOKEN_FILE";
    public const string AuthorityHost = "AZURE_AUTHORITY_HOST";

    /// <summary>Cloud name read by the webhook (and azwi's <c>--azure-env</c> default).</summary>
    public const string Environment = "AZURE_ENVIRONMENT";

    /// <summary>Path of a custom cloud's JSON description.</summary>
    public const string EnvironmentFilePath = "AZURE_ENVIRONMENT_FILEPATH";

    /// <summary>Env of the proxy init container: the port traffic to IMDS is redirected to.</summary>
    public const string ProxyPort = "PROXY_PORT";

    /// <summary>Webhook setting: full image reference of the proxy sidecar, overriding registry and version.</summary>
    public const string ProxyImage = "PROXY_IMAGE";

    /// <summary>Webhook setting: full image reference of the proxy init container, overriding registry and version.</summary>
    public const string ProxyInitImage = "PROXY_INIT_IMAGE";
}
