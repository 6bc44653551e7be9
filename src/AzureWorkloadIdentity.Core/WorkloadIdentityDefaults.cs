namespace AzureWorkloadIdentity.Core;

/// <summary>Fixed paths, names and default values of the contract.</summary>
public static class WorkloadIdentityDefaults
{
    /// <summary>Name of the projected token volume and of its mounts.</summary>
    public const string TokenVolumeName = "azure-identity-token";

    /// <summary>Directory the token volume is mounted at.</summary>
    public const string TokenMountPath = "/var/run/secrets/azure/tokens";

    /// <summary>File name of the token inside the volume (the projection's <c>path</c>).</summary>
    public const string TokenFileName = "azure-identity-token";

    /// <summary>Full path of the token file, the value of <c>AZURE_FEDERATED_TOKEN_FILE</c>.</summary>
    public const string TokenFilePath = TokenMountPath + "/" + TokenFileName;

    /// <summary>Audience of the projected token, the one Entra ID expects in federated credentials.</summary>
    public const string Audience = "api://AzureADTokenExchange";

    /// <summary>Default lifetime of the projected token, in seconds.</summary>
    public const long TokenExpirationSeconds = 3600;

    /// <summary>Shortest lifetime accepted for the projected token, in seconds (one hour).</summary>
    public const long MinTokenExpirationSeconds = 3600;

    /// <summary>Longest lifetime accepted for the projected token, in seconds (24 hours).</summary>
    public const long MaxTokenExpirationSeconds = 86400;

    /// <summary>Service account used by a pod that names none.</summary>
    public const string DefaultServiceAccountName = "default";

    /// <summary>Default port of the IMDS proxy sidecar.</summary>
    public const int ProxyPort = 8000;

    /// <summary>Name of the injected proxy init container.</summary>
    public const string ProxyInitContainerName = "azwi-proxy-init";

    /// <summary>Name of the injected proxy sidecar.</summary>
    public const string ProxyContainerName = "azwi-proxy";

    /// <summary>Image names of the proxy containers below the configured registry.</summary>
    public const string ProxyImageName = "proxy";

    /// <summary>Image name of the proxy init container below the configured registry.</summary>
    public const string ProxyInitImageName = "proxy-init";

    /// <summary>Default image registry of this project's images.</summary>
    public const string ImageRegistry = "ghcr.io/azure-workload-identity-dotnet";

    /// <summary>UID the proxy runs as; the iptables rules exempt it from the redirect.</summary>
    public const int ProxyUid = 1501;

    /// <summary>Address and port of the Azure Instance Metadata Service.</summary>
    public const string MetadataIp = "169.254.169.254";

    /// <summary>Port of the Azure Instance Metadata Service.</summary>
    public const int MetadataPort = 80;

    /// <summary>Subject of a service account in its tokens: <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c>.</summary>
    public static string ServiceAccountSubject(string @namespace, string name) =>
        $"system:serviceaccount:{@namespace}:{name}";
}
