using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>The cluster's service account issuer as its API server publishes it, or why it could not be read.</summary>
internal sealed record ClusterIssuer(string? Issuer, string? Error)
{
    public static async Task<ClusterIssuer> ReadAsync(k8s.Kubernetes client, CancellationToken cancellationToken)
    {
        try
        {
            return new(await IssuerResolver.ReadFromClusterAsync(client, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception exception) when (exception is CliUsageException or HttpRequestException or System.Text.Json.JsonException)
        {
            return new(null, exception.Message);
        }
    }
}
