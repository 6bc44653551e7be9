namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;

/// <summary>
/// The API server's own audiences (kube-apiserver's <c>--api-audiences</c>, which defaults to the service-account
/// issuer): a TokenRequest without audiences gets them, and a service-account token is accepted only for them.
/// </summary>
internal static class ApiAudiences
{
    public static IReadOnlyList<string> Of(KubernetesApiServerOptions options)
    {
        if (options.ApiAudiences.Count > 0)
        {
            return [.. options.ApiAudiences];
        }

        return options.TokenSigner is { } signer ? [signer.Issuer.ToString().TrimEnd('/')] : [];
    }
}
