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

        if (context.IsManagedIdentity)
        {
            context.RequireResourceGroup();
        }
        else if (string.IsNullOrEmpty(context.ServicePrincipalObjectId) && string.IsNullOrEmpty(context.ServicePrincipalName))
        {
            try
            {
                await context.ApplicationNameAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (CliUsageException)
            {
                throw new CliUsageException("--service-principal-name or --service-principal-object-id is required");
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var azure = await context.AzureAsync(cancellationToken).ConfigureAwait(false);
        var principalId = context.ServicePrincipalObjectId;
        if (string.IsNullOrEmpty(principalId) && context.IsManagedIdentity)
        {
            principalId = (await context.FindIdentityAsync(cancellationToken).ConfigureAwait(false))?.PrincipalId
                ?? throw new InvalidOperationException($"user-assigned identity {context.UserAssignedIdentityName} not found; run the aad-application phase first");
        }
        else if (string.IsNullOrEmpty(principalId))
        {
            var name = string.IsNullOrEmpty(context.ServicePrincipalName)
                ? await context.ApplicationNameAsync(cancellationToken).ConfigureAwait(false)
                : context.ServicePrincipalName;
            principalId = (await context.FindServicePrincipalAsync(name, cancellationToken).ConfigureAwait(false))?.Id
                ?? throw new InvalidOperationException($"service principal {name} not found; run the aad-application phase first or pass --service-principal-object-id");
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
