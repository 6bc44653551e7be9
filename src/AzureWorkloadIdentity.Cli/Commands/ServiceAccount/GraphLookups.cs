using AzureWorkloadIdentity.Cli.Cloud;
using Microsoft.Graph.Models;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>Finds the application and service principal by display name in Microsoft Graph (the first match, as the original).</summary>
internal sealed class GraphLookups(ServiceAccountConnections connections, ApplicationNameResolver applicationName)
{
    /// <summary>The application named by <see cref="ApplicationNameResolver"/>, with that name; null when it does not exist.</summary>
    public async Task<(string Name, Application? Application)> FindNamedApplicationAsync(CancellationToken cancellationToken)
    {
        var name = await applicationName.ResolveAsync(cancellationToken).ConfigureAwait(false);
        return (name, await FindApplicationAsync(name, cancellationToken).ConfigureAwait(false));
    }

    public async Task<Application?> FindApplicationAsync(string displayName, CancellationToken cancellationToken)
    {
        var azure = await connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var found = await azure.Graph.Applications.GetAsync(
            r => r.QueryParameters.Filter = ODataFilter.Equal("displayName", displayName), cancellationToken).ConfigureAwait(false);
        return found?.Value?.FirstOrDefault();
    }

    public async Task<ServicePrincipal?> FindServicePrincipalAsync(string displayName, CancellationToken cancellationToken)
    {
        var azure = await connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var found = await azure.Graph.ServicePrincipals.GetAsync(
            r => r.QueryParameters.Filter = ODataFilter.Equal("displayName", displayName), cancellationToken).ConfigureAwait(false);
        return found?.Value?.FirstOrDefault();
    }
}
