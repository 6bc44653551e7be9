using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Delete;

/// <summary>Deletes the role assignment by its full id; one that is already gone is a warning.</summary>
public sealed class RoleAssignmentDeletePhase(ServiceAccountContext context) : IPhase
{
    public string Name => "role-assignment";

    public string Alias => "ra";

    public string Description => "Delete the role assignment between the AAD application and the Azure cloud resource";

    public Task PreRunAsync(CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(context.RoleAssignmentId)
            ? throw new CliUsageException("--role-assignment-id is required (the full id printed by create as roleAssignmentID)")
            : Task.CompletedTask;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var azure = await context.AzureAsync(cancellationToken).ConfigureAwait(false);
        var (status, body) = await ResourceManagerCalls.DeleteByIdAsync(azure, context.RoleAssignmentId!, cancellationToken).ConfigureAwait(false);
        if (status is 204 or 404)
        {
            context.Log.Warning("[role-assignment] role assignment not found", ("roleAssignmentID", context.RoleAssignmentId));
            return;
        }

        ResourceManagerCalls.EnsureSuccess(status, body, "delete role assignment");
        context.Log.Info("[role-assignment] deleted role assignment", ("roleAssignmentID", context.RoleAssignmentId));
    }
}
