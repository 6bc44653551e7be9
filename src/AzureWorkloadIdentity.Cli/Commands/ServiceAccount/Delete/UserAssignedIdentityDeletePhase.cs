using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Delete;

/// <summary>
/// The aad-application phase when <c>--user-assigned-identity-name</c> is given: deletes the user-assigned managed
/// identity (its federated credentials go with it); the resource group is left alone.
/// </summary>
internal sealed class UserAssignedIdentityDeletePhase(ServiceAccountRun run) : IPhase
{
    public PhaseInfo Info => AadApplicationDeletePhase.Definition.Info;

    public Task PreRunAsync(CancellationToken cancellationToken)
    {
        run.Inputs.RequireResourceGroup();
        return Task.CompletedTask;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var azure = await run.Connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var inputs = run.Inputs;
        var status = await ManagedIdentityCalls.DeleteIdentityAsync(azure, inputs.ResourceGroup!, inputs.UserAssignedIdentityName!, cancellationToken).ConfigureAwait(false);
        if (status is 204 or 404)
        {
            run.Log.Warning("[aad-application] user-assigned identity not found", ("name", inputs.UserAssignedIdentityName));
        }
        else
        {
            run.Log.Info("[aad-application] deleted user-assigned identity", ("name", inputs.UserAssignedIdentityName), ("resourceGroup", inputs.ResourceGroup));
        }
    }
}
