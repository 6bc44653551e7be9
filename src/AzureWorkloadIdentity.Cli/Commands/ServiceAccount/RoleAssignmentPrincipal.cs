namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// The principal that role assignments name: <c>--service-principal-object-id</c>, the user-assigned identity's
/// principal, or the service principal found by name (<c>--service-principal-name</c>, else the application name).
/// </summary>
internal sealed class RoleAssignmentPrincipal(
    ServiceAccountInputs inputs, ApplicationNameResolver applicationName, GraphLookups graph, UserAssignedIdentityLookup identity)
{
    /// <summary>The pre-check creating and deleting role assignments share: something must name the principal.</summary>
    public async Task RequireAsync(CancellationToken cancellationToken)
    {
        if (inputs.UsesUserAssignedIdentity)
        {
            inputs.RequireResourceGroup();
            return;
        }

        if (!string.IsNullOrEmpty(inputs.ServicePrincipalObjectId) || !string.IsNullOrEmpty(inputs.ServicePrincipalName))
        {
            return;
        }

        try
        {
            await applicationName.ResolveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException)
        {
            throw new CliUsageException("--service-principal-name or --service-principal-object-id is required");
        }
    }

    /// <summary><c>Id</c> is null when the principal does not exist; <c>Missing</c> then says which one was looked for.</summary>
    public async Task<(string? Id, string Missing)> FindAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(inputs.ServicePrincipalObjectId))
        {
            return (inputs.ServicePrincipalObjectId, string.Empty);
        }

        if (inputs.UsesUserAssignedIdentity)
        {
            var found = await identity.FindAsync(cancellationToken).ConfigureAwait(false);
            return (found?.PrincipalId, $"user-assigned identity {inputs.UserAssignedIdentityName} not found");
        }

        var name = string.IsNullOrEmpty(inputs.ServicePrincipalName)
            ? await applicationName.ResolveAsync(cancellationToken).ConfigureAwait(false)
            : inputs.ServicePrincipalName;
        var principal = await graph.FindServicePrincipalAsync(name, cancellationToken).ConfigureAwait(false);
        return (principal?.Id, $"service principal {name} not found");
    }
}
