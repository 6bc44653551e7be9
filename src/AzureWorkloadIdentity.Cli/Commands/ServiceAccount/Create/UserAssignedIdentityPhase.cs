using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Create;

/// <summary>
/// The aad-application phase when <c>--user-assigned-identity-name</c> is given: creates the resource group if it is
/// missing (an existing group keeps its location) and the user-assigned managed identity in it.
/// </summary>
internal sealed class UserAssignedIdentityPhase(ServiceAccountRun run) : IPhase
{
    public PhaseInfo Info => AadApplicationPhase.Definition.Info;

    public Task PreRunAsync(CancellationToken cancellationToken)
    {
        run.Inputs.RequireResourceGroup();
        return Task.CompletedTask;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var azure = await run.Connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var group = run.Inputs.ResourceGroup!;
        var name = run.Inputs.UserAssignedIdentityName!;
        var (location, createdGroup) = await ManagedIdentityCalls.EnsureResourceGroupAsync(azure, group, run.Inputs.Location, cancellationToken).ConfigureAwait(false);
        if (createdGroup)
        {
            run.Log.Info("[aad-application] created resource group", ("resourceGroup", group), ("location", location));
        }

        var identity = await ManagedIdentityCalls.GetIdentityAsync(azure, group, name, cancellationToken).ConfigureAwait(false);
        if (identity is not null)
        {
            var (clientId, principalId) = UserAssignedIdentityLookup.IdsOf(identity);
            run.Log.Info("[aad-application] user-assigned identity already exists", ("name", name), ("clientID", clientId), ("principalID", principalId));
            return;
        }

        identity = await ManagedIdentityCalls.CreateIdentityAsync(azure, group, name, location, cancellationToken).ConfigureAwait(false);
        var (newClientId, newPrincipalId) = UserAssignedIdentityLookup.IdsOf(identity!);
        run.Log.Info("[aad-application] created user-assigned identity", ("name", name), ("clientID", newClientId), ("principalID", newPrincipalId));
    }
}
