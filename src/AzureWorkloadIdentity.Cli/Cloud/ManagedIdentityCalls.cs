using System.Text.Json.Nodes;
using Azure.Core;

namespace AzureWorkloadIdentity.Cli.Cloud;

/// <summary>Resource groups, user-assigned identities and their federated credentials through the Resource Manager pipeline.</summary>
internal static class ManagedIdentityCalls
{
    public const string ResourceGroupApiVersion = "2021-04-01";
    public const string IdentityApiVersion = "2023-01-31";

    public static string ResourceGroupPath(AzureConnection azure, string resourceGroup) =>
        $"subscriptions/{azure.SubscriptionId}/resourceGroups/{Uri.EscapeDataString(resourceGroup)}";

    public static string IdentityPath(AzureConnection azure, string resourceGroup, string name) =>
        $"{ResourceGroupPath(azure, resourceGroup)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{Uri.EscapeDataString(name)}";

    /// <summary>Returns the group's location, creating the group in <paramref name="location"/> if it is missing.</summary>
    public static async Task<(string Location, bool Created)> EnsureResourceGroupAsync(
        AzureConnection azure, string resourceGroup, string location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azure);
        var path = $"{ResourceGroupPath(azure, resourceGroup)}?api-version={ResourceGroupApiVersion}";
        var (status, body) = await ResourceManagerCalls.SendAsync(azure, RequestMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        if (status == 200)
        {
            return (body?["location"]?.GetValue<string>() ?? location, false);
        }

        if (status != 404)
        {
            ResourceManagerCalls.EnsureSuccess(status, body, $"get resource group {resourceGroup}");
        }

        (status, body) = await ResourceManagerCalls.SendAsync(azure, RequestMethod.Put, path, new JsonObject { ["location"] = location }, cancellationToken).ConfigureAwait(false);
        ResourceManagerCalls.EnsureSuccess(status, body, $"create resource group {resourceGroup}");
        return (location, true);
    }

    /// <summary>GET the identity; null when it does not exist.</summary>
    public static async Task<JsonNode?> GetIdentityAsync(AzureConnection azure, string resourceGroup, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azure);
        var (status, body) = await ResourceManagerCalls.SendAsync(azure, RequestMethod.Get,
            $"{IdentityPath(azure, resourceGroup, name)}?api-version={IdentityApiVersion}", null, cancellationToken).ConfigureAwait(false);
        if (status == 404)
        {
            return null;
        }

        ResourceManagerCalls.EnsureSuccess(status, body, $"get user-assigned identity {name}");
        return body;
    }

    public static async Task<JsonNode?> CreateIdentityAsync(AzureConnection azure, string resourceGroup, string name, string location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azure);
        var (status, body) = await ResourceManagerCalls.SendAsync(azure, RequestMethod.Put,
            $"{IdentityPath(azure, resourceGroup, name)}?api-version={IdentityApiVersion}", new JsonObject { ["location"] = location }, cancellationToken).ConfigureAwait(false);
        ResourceManagerCalls.EnsureSuccess(status, body, $"create user-assigned identity {name}");
        return body;
    }

    public static async Task<int> DeleteIdentityAsync(AzureConnection azure, string resourceGroup, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azure);
        var (status, body) = await ResourceManagerCalls.SendAsync(azure, RequestMethod.Delete,
            $"{IdentityPath(azure, resourceGroup, name)}?api-version={IdentityApiVersion}", null, cancellationToken).ConfigureAwait(false);
        if (status is not (204 or 404))
        {
            ResourceManagerCalls.EnsureSuccess(status, body, $"delete user-assigned identity {name}");
        }

        return status;
    }

    /// <summary>PUT the federated credential (create or update; the same values again change nothing).</summary>
    public static async Task<int> PutCredentialAsync(
        AzureConnection azure, string resourceGroup, string identity, string credentialName, string issuer, string subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azure);
        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["issuer"] = issuer,
                ["subject"] = subject,
                ["audiences"] = new JsonArray("api://AzureADTokenExchange"),
            },
        };
        var (status, response) = await ResourceManagerCalls.SendAsync(azure, RequestMethod.Put,
            $"{IdentityPath(azure, resourceGroup, identity)}/federatedIdentityCredentials/{Uri.EscapeDataString(credentialName)}?api-version={IdentityApiVersion}",
            body, cancellationToken).ConfigureAwait(false);
        ResourceManagerCalls.EnsureSuccess(status, response, "add federated credential to the user-assigned identity");
        return status;
    }

    public static async Task<int> DeleteCredentialAsync(
        AzureConnection azure, string resourceGroup, string identity, string credentialName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(azure);
        var (status, body) = await ResourceManagerCalls.SendAsync(azure, RequestMethod.Delete,
            $"{IdentityPath(azure, resourceGroup, identity)}/federatedIdentityCredentials/{Uri.EscapeDataString(credentialName)}?api-version={IdentityApiVersion}",
            null, cancellationToken).ConfigureAwait(false);
        if (status is not (204 or 404))
        {
            ResourceManagerCalls.EnsureSuccess(status, body, "delete federated credential of the user-assigned identity");
        }

        return status;
    }
}
