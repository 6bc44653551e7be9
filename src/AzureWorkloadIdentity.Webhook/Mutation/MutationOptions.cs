using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>The webhook settings the mutation depends on; fixed for the life of the process.</summary>
/// <param name="TenantId">Tenant injected when the service account names none.</param>
/// <param name="AuthorityHost">Entra ID authority host of the configured cloud (trailing slash kept).</param>
/// <param name="Audience">Audience of the projected service-account token.</param>
/// <param name="ProxyImageRegistry">Registry the proxy images are pulled from.</param>
/// <param name="ProxyImageVersion">Tag of the proxy images.</param>
public sealed record MutationOptions(
    string TenantId,
    string AuthorityHost,
    string Audience = WorkloadIdentityDefaults.Audience,
    string ProxyImageRegistry = WorkloadIdentityDefaults.ImageRegistry,
    string ProxyImageVersion = MutationOptions.DefaultProxyImageVersion)
{
    /// <summary>The image tag of this release, used when <c>--proxy-image-version</c> is not given.</summary>
    public const string DefaultProxyImageVersion = "v0.1.0";
}
