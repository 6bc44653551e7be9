using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Create;

/// <summary>
/// Assigns <c>--azure-role</c> at <c>--azure-scope</c> to the service principal. Retried up to 7 attempts (a new
/// principal may not have replicated to Resource Manager yet); 409 means it already exists.
/// </summary>
public sealed class RoleAssignmentPhase(ServiceAccountContext context) : IPhase
{
    public const int MaxAttempts = 7;

    public string Name => "role-assignment";

    public string Alias => "ra";

    public string Description => "Create role assignment between the AAD application and the Azure cloud resource";

    public async Task PreRunAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(context.AzureScope))
        {
            throw new CliUsageException("--azure-scope is required");
        }

        if (string.IsNullOrEmpty(context.AzureRole))
        {
            throw new CliUsageException("--azure-role is required");
        }

        await context.RequirePrincipalAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var azure = await context.AzureAsync(cancellationToken).ConfigureAwait(false);
        var (principalId, missing) = await context.FindPrincipalAsync(cancellationToken).ConfigureAwait(false);
        if (principalId is null)
        {
            throw new InvalidOperationException(
                context.IsManagedIdentity
                    ? $"{missing}; run the aad-application phase first"
                    : $"{missing}; run the aad-application phase first or pass --service-principal-object-id");
        }

        var roleDefinitionId = await ResourceManagerCalls.FindRoleDefinitionIdAsync(azure, context.AzureRole!, cancellationToken).ConfigureAwait(false);
        var assignmentName = Guid.NewGuid().ToString();
        for (var attempt = 1; ; attempt++)
        {
            var (status, body) = await ResourceManagerCalls.CreateRoleAssignmentAsync(
                azure, context.AzureScope!, assignmentName, roleDefinitionId, principalId, cancellationToken).ConfigureAwait(false);
            if (status == 409)
            {
                context.Log.Warning($"Role assignment already exists for principalID={principalId} with role={context.AzureRole}");
                return;
            }

            if (status is >= 200 and < 300)
            {
                context.Log.Info("[role-assignment] created role assignment",
                    ("scope", context.AzureScope), ("role", context.AzureRole), ("servicePrincipalObjectID", principalId),
                    ("roleAssignmentID", body?["id"]?.GetValue<string>()));
                return;
            }

            if (attempt >= MaxAttempts)
            {
                throw new InvalidOperationException($"failed to create role assignment after {MaxAttempts} attempts: {ResourceManagerCalls.Describe(status, body)}");
            }

            context.Log.Debug("role assignment failed, retrying", ("attempt", attempt), ("error", ResourceManagerCalls.Describe(status, body)));
            await Task.Delay(context.Services.RoleAssignmentRetryDelay, context.Services.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
