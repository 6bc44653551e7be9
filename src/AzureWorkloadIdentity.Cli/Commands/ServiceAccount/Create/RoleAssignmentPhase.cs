using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Create;

/// <summary>
/// Assigns <c>--azure-role</c> at <c>--azure-scope</c> to the service principal. Retried up to 7 attempts (a new
/// principal may not have replicated to Resource Manager yet); 409 means it already exists.
/// </summary>
internal sealed class RoleAssignmentPhase(ServiceAccountRun run) : IPhase
{
    public const int MaxAttempts = 7;

    public static PhaseDefinition Definition { get; } = new(
        new PhaseInfo("role-assignment", ["ra"], "Create role assignment between the AAD application and the Azure cloud resource"),
        f => [f.AzureScope, f.AzureRole, f.ServicePrincipalName, f.ServicePrincipalObjectId, f.ApplicationName, f.Name, f.Namespace, f.IssuerUrl,
            f.UserAssignedIdentityName, f.ResourceGroup],
        run => new RoleAssignmentPhase(run));

    public PhaseInfo Info => Definition.Info;

    public async Task PreRunAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(run.Inputs.AzureScope))
        {
            throw new CliUsageException("--azure-scope is required");
        }

        if (string.IsNullOrEmpty(run.Inputs.AzureRole))
        {
            throw new CliUsageException("--azure-role is required");
        }

        await run.Principal.RequireAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var azure = await run.Connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var (principalId, missing) = await run.Principal.FindAsync(cancellationToken).ConfigureAwait(false);
        if (principalId is null)
        {
            throw new InvalidOperationException(
                run.Inputs.UsesUserAssignedIdentity
                    ? $"{missing}; run the aad-application phase first"
                    : $"{missing}; run the aad-application phase first or pass --service-principal-object-id");
        }

        var roleDefinitionId = await ResourceManagerCalls.FindRoleDefinitionIdAsync(azure, run.Inputs.AzureRole!, cancellationToken).ConfigureAwait(false);
        var assignmentName = Guid.NewGuid().ToString();
        for (var attempt = 1; ; attempt++)
        {
            var (status, body) = await ResourceManagerCalls.CreateRoleAssignmentAsync(
                azure, run.Inputs.AzureScope!, assignmentName, roleDefinitionId, principalId, cancellationToken).ConfigureAwait(false);
            if (status == 409)
            {
                run.Log.Warning($"Role assignment already exists for principalID={principalId} with role={run.Inputs.AzureRole}");
                return;
            }

            if (status is >= 200 and < 300)
            {
                run.Log.Info("[role-assignment] created role assignment",
                    ("scope", run.Inputs.AzureScope), ("role", run.Inputs.AzureRole), ("servicePrincipalObjectID", principalId),
                    ("roleAssignmentID", body?["id"]?.GetValue<string>()));
                return;
            }

            if (attempt >= MaxAttempts)
            {
                throw new InvalidOperationException($"failed to create role assignment after {MaxAttempts} attempts: {ResourceManagerCalls.Describe(status, body)}");
            }

            run.Log.Debug("role assignment failed, retrying", ("attempt", attempt), ("error", ResourceManagerCalls.Describe(status, body)));
            await Task.Delay(run.Services.RoleAssignmentRetryDelay, run.Services.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
