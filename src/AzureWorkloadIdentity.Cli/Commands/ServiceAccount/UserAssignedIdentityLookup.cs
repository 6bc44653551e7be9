using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Cli.Cloud;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>Reads the user-assigned managed identity named by <c>--user-assigned-identity-name</c> and <c>--resource-group</c>.</summary>
internal sealed class UserAssignedIdentityLookup(ServiceAccountInputs inputs, ServiceAccountConnections connections)
{
    /// <summary>The identity's client and principal ids, or null when it does not exist.</summary>
    public async Task<(string ClientId, string PrincipalId)?> FindAsync(CancellationToken cancellationToken)
    {
        var azure = await connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var identity = await ManagedIdentityCalls.GetIdentityAsync(azure, inputs.ResourceGroup!, inputs.UserAssignedIdentityName!, cancellationToken).ConfigureAwait(false);
        return identity is null ? null : IdsOf(identity);
    }

    public static (string ClientId, string PrincipalId) IdsOf(JsonNode identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var properties = identity["properties"];
        return (properties?["clientId"]?.GetValue<string>() ?? string.Empty, properties?["principalId"]?.GetValue<string>() ?? string.Empty);
    }
}
