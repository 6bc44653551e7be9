using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>
/// Asks a cluster (through a kubeconfig) for its service-account verification keys and for a token, as a pod's
/// projected token would be minted: audience <c>api://AzureADTokenExchange</c>, for an existing service account.
/// </summary>
internal static class ClusterIssuerProbe
{
    public const string Audience = "api://AzureADTokenExchange";

    public static IKubernetes Connect(string kubeconfig)
    {
        try
        {
            return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        }
        catch (Exception exception) when (exception is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--kubeconfig: cannot build a Kubernetes client from {kubeconfig}: {exception.Message}; pass a readable kubeconfig of the cluster");
        }
    }

    public static async Task<ClusterIssuerFacts> ReadAsync(IKubernetes client, string serviceAccountNamespace, string serviceAccountName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        IReadOnlyList<string> keyIds;
        try
        {
            var jwks = await GetRawAsync(client, "openid/v1/jwks", cancellationToken).ConfigureAwait(false);
            keyIds = [.. new JsonWebKeySet(jwks).Keys.Select(k => k.Kid)];
        }
        catch (Exception exception) when (exception is HttpRequestException or ArgumentException)
        {
            return new ClusterIssuerFacts([], null, $"the cluster's /openid/v1/jwks could not be read: {Describe(exception)}; check the kubeconfig and that the API server serves issuer discovery");
        }

        try
        {
            var request = new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = [Audience], ExpirationSeconds = 3600 } };
            var answer = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
                request, serviceAccountName, serviceAccountNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ClusterIssuerFacts(keyIds, answer.Status?.Token, null);
        }
        catch (Exception exception) when (exception is HttpOperationException or HttpRequestException)
        {
            return new ClusterIssuerFacts(
                keyIds, null,
                $"no token for service account {serviceAccountNamespace}/{serviceAccountName}: {Describe(exception)}; pass --service-account-namespace and --service-account-name of an existing service account");
        }
    }

    /// <summary>
    /// A GET of a non-resource path with the kubeconfig's credentials: the generated client would deserialize the
    /// key set as a JSON string and fail.
    /// </summary>
    private static async Task<string> GetRawAsync(IKubernetes client, string path, CancellationToken cancellationToken)
    {
        var kubernetes = (Kubernetes)client;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(kubernetes.BaseUri, path));
        if (kubernetes.Credentials is not null)
        {
            await kubernetes.Credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var response = await kubernetes.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{path} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(Exception exception) => exception is HttpOperationException http
        ? $"{(int)http.Response.StatusCode} {http.Response.ReasonPhrase}"
        : exception.Message;
}
