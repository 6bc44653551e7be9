using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Phases;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount.Delete;

/// <summary>
/// Deletes the role assignment by its full id (<c>--role-assignment-id</c>, as upstream requires), or, without it,
/// looks up the service principal's (or identity's) assignments at <c>--azure-scope</c> — of <c>--azure-role</c> when
/// given — and deletes those. One that is already gone, or none found, is a warning.
/// </summary>
internal sealed class RoleAssignmentDeletePhase(ServiceAccountRun run) : IPhase
{
    public static PhaseDefinition Definition { get; } = new(
        new PhaseInfo("role-assignment", ["ra"], "Delete the role assignment between the AAD application and the Azure cloud resource"),
        f => [f.RoleAssignmentId, f.AzureScope, f.AzureRole, f.ServicePrincipalName, f.ServicePrincipalObjectId, f.ApplicationName, f.Name, f.Namespace,
            f.IssuerUrl, f.UserAssignedIdentityName, f.ResourceGroup],
        run => new RoleAssignmentDeletePhase(run));

    public PhaseInfo Info => Definition.Info;

    public async Task PreRunAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(run.Inputs.RoleAssignmentId))
        {
            return;
        }

        if (string.IsNullOrEmpty(run.Inputs.AzureScope))
        {
            throw new CliUsageException(
                "--role-assignment-id is required (the full id printed by create as roleAssignmentID), or --azure-scope (with --azure-role to narrow it) to look up the service principal's role assignments there");
        }

        await run.Principal.RequireAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(run.Inputs.RoleAssignmentId))
        {
            await DeleteAsync(run.Inputs.RoleAssignmentId, cancellationToken).ConfigureAwait(false);
            return;
        }

        var found = await FindAsync(cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            run.Log.Warning("[role-assignment] no role assignment found to delete",
                ("scope", run.Inputs.AzureScope), ("role", run.Inputs.AzureRole ?? "any"));
            return;
        }

        foreach (var id in found)
        {
            await DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The ids of the principal's assignments made exactly at the scope (not inherited from above or made below it).</summary>
    private async Task<IReadOnlyList<string>> FindAsync(CancellationToken cancellationToken)
    {
        var (principalId, missing) = await run.Principal.FindAsync(cancellationToken).ConfigureAwait(false);
        if (principalId is null)
        {
            run.Log.Warning($"[role-assignment] {missing}; no role assignments to look up");
            return [];
        }

        var azure = await run.Connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var roleDefinitionId = string.IsNullOrEmpty(run.Inputs.AzureRole)
            ? null
            : await ResourceManagerCalls.FindRoleDefinitionIdAsync(azure, run.Inputs.AzureRole, cancellationToken).ConfigureAwait(false);
        var assignments = await ResourceManagerCalls.ListRoleAssignmentsAsync(azure, run.Inputs.AzureScope!, principalId, cancellationToken).ConfigureAwait(false);
        return
        [
            .. assignments
                .Where(a => SameScope(Property(a, "scope"), run.Inputs.AzureScope!))
                .Where(a => roleDefinitionId is null || SameRole(Property(a, "roleDefinitionId"), roleDefinitionId))
                .Select(a => a["id"]?.GetValue<string>())
                .OfType<string>(),
        ];
    }

    private async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var azure = await run.Connections.AzureAsync(cancellationToken).ConfigureAwait(false);
        var (status, body) = await ResourceManagerCalls.DeleteByIdAsync(azure, id, cancellationToken).ConfigureAwait(false);
        if (status is 204 or 404)
        {
            run.Log.Warning("[role-assignment] role assignment not found", ("roleAssignmentID", id));
            return;
        }

        ResourceManagerCalls.EnsureSuccess(status, body, "delete role assignment");
        run.Log.Info("[role-assignment] deleted role assignment", ("roleAssignmentID", id));
    }

    private static string? Property(JsonNode assignment, string name) => assignment["properties"]?[name]?.GetValue<string>();

    private static bool SameScope(string? scope, string expected) =>
        string.Equals(scope?.TrimEnd('/'), expected.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>Role definition ids differ by the scope they are read at; the role is the last segment (its GUID).</summary>
    private static bool SameRole(string? roleDefinitionId, string expected) =>
        roleDefinitionId is not null
        && string.Equals(roleDefinitionId.TrimEnd('/').Split('/')[^1], expected.TrimEnd('/').Split('/')[^1], StringComparison.OrdinalIgnoreCase);
}
