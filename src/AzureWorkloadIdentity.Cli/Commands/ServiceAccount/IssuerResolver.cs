using System.Net.Http.Headers;
using System.Text.Json;
using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// The issuer URL: <c>--service-account-issuer-url</c>, or read byte for byte from the cluster's
/// <c>/.well-known/openid-configuration</c> once per run (a trailing-slash difference from the token's <c>iss</c>
/// fails the exchange with AADSTS70021).
/// </summary>
internal sealed class IssuerResolver(ServiceAccountInputs inputs, ServiceAccountConnections connections, CliLog log)
{
    private string? _fromCluster;

    public async Task<string> ResolveAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(inputs.IssuerUrl))
        {
            return inputs.IssuerUrl;
        }

        if (_fromCluster is null)
        {
            _fromCluster = await ReadFromClusterAsync(connections.Kubernetes(), cancellationToken).ConfigureAwait(false);
            log.Info("using the issuer URL from the cluster", ("issuerURL", _fromCluster));
        }

        return _fromCluster;
    }

    /// <summary>The <c>issuer</c> of the cluster's <c>/.well-known/openid-configuration</c>, byte for byte.</summary>
    public static async Task<string> ReadFromClusterAsync(k8s.Kubernetes client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, ".well-known/openid-configuration"));
        var token = client.Credentials is null ? null : await GetBearerAsync(client, cancellationToken).ConfigureAwait(false);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliUsageException(
                $"--service-account-issuer-url not given and the cluster's /.well-known/openid-configuration answered {(int)response.StatusCode}; pass --service-account-issuer-url");
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return document.RootElement.TryGetProperty("issuer", out var issuer) && issuer.GetString() is { Length: > 0 } value
            ? value
            : throw new CliUsageException("the cluster's /.well-known/openid-configuration has no issuer; pass --service-account-issuer-url");
    }

    private static async Task<string?> GetBearerAsync(k8s.Kubernetes client, CancellationToken cancellationToken)
    {
        using var probe = new HttpRequestMessage(HttpMethod.Get, client.BaseUri);
        await client.Credentials.ProcessHttpRequestAsync(probe, cancellationToken).ConfigureAwait(false);
        return probe.Headers.Authorization?.Parameter;
    }
}
