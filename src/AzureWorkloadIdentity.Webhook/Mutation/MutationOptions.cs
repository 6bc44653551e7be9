using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>The webhook settings the mutation depends on; fixed for the life of the process.</summary>
/// <param name="TenantId">Tenant injected when the service account names none.</param>
/// <param name="AuthorityHost">Entra ID authority host of the configured cloud (trailing slash kept).</param>
/// <param name="Audience">Audience of the projected service-account token.</param>
/// <param name="ProxyImageRegistry">Registry the proxy images are pulled from.</param>
/// <param name="ProxyImageVersion">Tag of the proxy images.</param>
/// <param name="ProxyImage">Full image reference of the sidecar (<c>PROXY_IMAGE</c>); overrides registry and version.</param>
/// <param name="ProxyInitImage">Full image reference of the init container (<c>PROXY_INIT_IMAGE</c>); overrides registry and version.</param>
/// <param name="NativeSidecar">Inject the sidecar as an init container with <c>restartPolicy: Always</c> (decided once at start-up).</param>
/// <param name="LogLevel">The webhook's <c>--log-level</c>, passed on to the sidecar.</param>
internal sealed record MutationOptions(
    string TenantId,
    string AuthorityHost,
    string Audience = WorkloadIdentityDefaults.Audience,
    string ProxyImageRegistry = WorkloadIdentityDefaults.ImageRegistry,
    string ProxyImageVersion = MutationOptions.DefaultProxyImageVersion,
    string? ProxyImage = null,
    string? ProxyInitImage = null,
    bool NativeSidecar = false,
    string LogLevel = MutationOptions.DefaultLogLevel)
{
    /// <summary>The image tag of this release, used when <c>--proxy-image-version</c> is not given.</summary>
    public const string DefaultProxyImageVersion = "v0.1.0";

    /// <summary>The webhook's default <c>--log-level</c>.</summary>
    public const string DefaultLogLevel = "info";

    /// <summary>The sidecar's image: <see cref="ProxyImage"/>, else <c>&lt;registry&gt;/proxy:&lt;version&gt;</c>.</summary>
    public string SidecarImage => ImageOrDefault(ProxyImage, WorkloadIdentityDefaults.ProxyImageName);

    /// <summary>The init container's image: <see cref="ProxyInitImage"/>, else <c>&lt;registry&gt;/proxy-init:&lt;version&gt;</c>.</summary>
    public string InitImage => ImageOrDefault(ProxyInitImage, WorkloadIdentityDefaults.ProxyInitImageName);

    private string ImageOrDefault(string? image, string name) =>
        string.IsNullOrWhiteSpace(image) ? $"{ProxyImageRegistry}/{name}:{ProxyImageVersion}" : image;
}
