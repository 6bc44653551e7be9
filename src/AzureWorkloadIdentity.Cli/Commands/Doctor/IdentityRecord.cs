using System.Text.Json.Nodes;
using Azure.Core;
using AzureWorkloadIdentity.Cli.Cloud;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>
/// The identity a client id names: an application (Microsoft Graph) or a user-assigned managed identity (Resource
/// Manager, searched in the subscription's resource groups), with its federated credentials.
/// </summary>
internal sealed record IdentityRecord(string Kind, string Name, IReadOnlyList<FederatedCredentialRecord> Credentials)
{
    public static async Task<IdentityRecord?> FindAsync(AzureConnection azure, string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azure);
        return await FindApplicationAsync(azure, clientId, cancellationToken).ConfigureAwait(false)
            ?? await FindUserAssignedIdentityAsync(azure, clientId, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IdentityRecord?> FindApplicationAsync(AzureConnection azure, string clientId, CancellationToken cancellationToken)
    {
        var found = await azure.Graph.Applications.GetAsync(
            r => r.QueryParameters.Filter = ODataFilter.Equal("appId", clientId), cancellationToken).ConfigureAwait(false);
        if (found?.Value?.FirstOrDefault() is not { Id: { } id } application)
        {
            return null;
        }

        var credentials = await azure.Graph.Applications[id].FederatedIdentityCredentials.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return new IdentityRecord("application", application.DisplayName ?? id,
        [
            .. (credentials?.Value ?? []).Select(c => new FederatedCredentialRecord(
                c.Name ?? string.Empty, c.Issuer ?? string.Empty, c.Subject ?? string.Empty, [.. c.Audiences ?? []])),
        ]);
    }

    private static async Task<IdentityRecord?> FindUserAssignedIdentityAsync(AzureConnection azure, string clientId, CancellationToken cancellationToken)
    {
        var groups = await ListAsync(azure, $"subscriptions/{azure.SubscriptionId}/resourcegroups?api-version={ManagedIdentityCalls.ResourceGroupApiVersion}", cancellationToken).ConfigureAwait(false);
        foreach (var group in groups.Select(g => g?["name"]?.GetValue<string>()).OfType<string>())
        {
            var identities = await ListAsync(azure,
                $"{ManagedIdentityCalls.ResourceGroupPath(azure, group)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version={ManagedIdentityCalls.IdentityApiVersion}",
                cancellationToken).ConfigureAwait(false);
            var identity = identities.FirstOrDefault(i => string.Equals(i?["properties"]?["clientId"]?.GetValue<string>(), clientId, StringComparison.OrdinalIgnoreCase));
            if (identity?["name"]?.GetValue<string>() is { } name)
            {
                var credentials = await ListAsync(azure,
                    $"{ManagedIdentityCalls.IdentityPath(azure, group, name)}/federatedIdentityCredentials?api-version={ManagedIdentityCalls.IdentityApiVersion}",
                    cancellationToken).ConfigureAwait(false);
                return new IdentityRecord("user-assigned identity", $"{group}/{name}", [.. credentials.OfType<JsonNode>().Select(Credential)]);
            }
        }

        return null;
    }

    private static FederatedCredentialRecord Credential(JsonNode node)
    {
        var properties = node["properties"];
        return new(
            node["name"]?.GetValue<string>() ?? string.Empty,
            properties?["issuer"]?.GetValue<string>() ?? string.Empty,
            properties?["subject"]?.GetValue<string>() ?? string.Empty,
            [.. (properties?["audiences"] as JsonArray ?? []).Select(a => a?.GetValue<string>()).OfType<string>()]);
    }

    private static async Task<IReadOnlyList<JsonNode?>> ListAsync(AzureConnection azure, string path, CancellationToken cancellationToken)
    {
        var (status, body) = await ResourceManagerCalls.SendAsync(azure, RequestMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        ResourceManagerCalls.EnsureSuccess(status, body, "list " + path.Split('?')[0]);
        return [.. body?["value"] as JsonArray ?? []];
    }
}
