using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;

/// <summary>
/// <c>{scope}/providers/Microsoft.Authorization/roleAssignments/{guid}</c>: PUT, GET, DELETE and list. Duplicates are
/// 409 <c>RoleAssignmentExists</c>; a principal created less than
/// <see cref="ResourceManagerOptions.PrincipalReplicationDelay"/> ago is 400 <c>PrincipalNotFound</c> unless the
/// request names its <c>principalType</c> (Azure's documented way around replication delay).
/// </summary>
internal static class RoleAssignmentsApi
{
    private const string Type = "Microsoft.Authorization/roleAssignments";
    private static readonly string[] PrincipalTypes = ["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"];

    public static async Task<IResult> PutAsync(HttpRequest request, SandboxDirectory directory, ResourceManagerOptions options, string scope, string name)
    {
        if (!Guid.TryParse(name, out _))
        {
            return ArmError.BadRequest("InvalidRoleAssignmentId", $"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.");
        }

        if (ScopeValidation.Check(directory, scope, allowTenantRoot: false) is { } invalidScope)
        {
            return invalidScope;
        }

        var (body, error) = await ArmJson.ReadAsync(request, ArmJsonContext.Default.RoleAssignmentRequest);
        if (error is not null)
        {
            return error;
        }

        var properties = body!.Properties;
        if (BuiltInRoles.FindById(properties?.RoleDefinitionId) is not { } role)
        {
            return ArmError.BadRequest(
                "RoleDefinitionDoesNotExist", $"The specified role definition with ID '{properties?.RoleDefinitionId}' does not exist.");
        }

        if (properties!.PrincipalId is not { } principalId || !Guid.TryParse(principalId, out var principalGuid))
        {
            return ArmError.BadRequest("InvalidPrincipalId", $"The principal ID '{properties.PrincipalId}' is not valid. It must be the object id (a GUID) of a principal.");
        }

        if (properties.PrincipalType is { } requestedType && !PrincipalTypes.Contains(requestedType, StringComparer.OrdinalIgnoreCase))
        {
            return ArmError.BadRequest("InvalidPrincipalType", $"The principal type '{requestedType}' is not valid. Use one of {string.Join(", ", PrincipalTypes)}.");
        }

        var normalizedScope = ArmScope.Normalize(scope);
        var id = $"{normalizedScope}/providers/{Type}/{name}";
        var now = directory.Time.GetUtcNow();
        var result = directory.Update<(RoleAssignment? Assignment, IResult? Error)>(state =>
        {
            var createdAt = PrincipalCreatedAt(state, principalId);
            if (createdAt is null || (properties.PrincipalType is null && now - createdAt < options.PrincipalReplicationDelay))
            {
                return (state, (null, PrincipalNotFound(directory, principalGuid)));
            }

            var duplicate = state.RoleAssignments.Values.FirstOrDefault(a =>
                string.Equals(ArmScope.Normalize(a.Scope), normalizedScope, StringComparison.OrdinalIgnoreCase)
                && string.Equals(a.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase)
                && BuiltInRoles.FindById(a.RoleDefinitionId) == role);
            if (duplicate is not null)
            {
                return (state, (null, ArmError.Create(StatusCodes.Status409Conflict, "RoleAssignmentExists", "The role assignment already exists.")));
            }

            if (state.RoleAssignments.ContainsKey(id))
            {
                return (state, (null, ArmError.BadRequest(
                    "RoleAssignmentUpdateNotPermitted",
                    "Tenant ID, application ID, principal ID, and scope are not allowed to be updated. Delete the role assignment and create a new one.")));
            }

            var assignment = new RoleAssignment(
                id, name, normalizedScope, role.IdAt(directory.SubscriptionId), principalId, properties.PrincipalType ?? "ServicePrincipal");
            return (state with { RoleAssignments = state.RoleAssignments.With(id, assignment) }, (assignment, null));
        });
        return result.Error ?? ArmJson.Result(Represent(result.Assignment!), StatusCodes.Status201Created);
    }

    public static IResult Get(SandboxDirectory directory, string scope, string name) =>
        directory.Snapshot.RoleAssignments.TryGetValue($"{ArmScope.Normalize(scope)}/providers/{Type}/{name}", out var assignment)
            ? ArmJson.Result(Represent(assignment))
            : ArmError.Create(StatusCodes.Status404NotFound, "RoleAssignmentNotFound", $"The role assignment '{name}' is not found.");

    /// <summary>200 with the deleted assignment, or 204 when there was none (azwi reads 204 as "already deleted").</summary>
    public static IResult Delete(SandboxDirectory directory, string scope, string name)
    {
        var id = $"{ArmScope.Normalize(scope)}/providers/{Type}/{name}";
        var deleted = directory.Update(state => state.RoleAssignments.TryGetValue(id, out var assignment)
            ? (state with { RoleAssignments = state.RoleAssignments.Without(id) }, assignment)
            : (state, null));
        return deleted is null ? Results.NoContent() : ArmJson.Result(Represent(deleted));
    }

    /// <summary>
    /// Assignments that apply at, above or below <paramref name="scope"/>; <c>atScope()</c> keeps those at or above it,
    /// <c>principalId eq</c> / <c>assignedTo()</c> those of one principal.
    /// </summary>
    public static IResult List(HttpRequest request, SandboxDirectory directory, string scope)
    {
        if (ScopeValidation.Check(directory, scope, allowTenantRoot: true) is { } invalid)
        {
            return invalid;
        }

        var filter = AuthorizationFilter.Parse(request.Query["$filter"].ToString(), out var error);
        if (filter is null)
        {
            return ArmError.BadRequest("InvalidFilterInQueryString", error!);
        }

        var assignments = directory.Snapshot.RoleAssignments.Values
            .Where(a => ArmScope.IsWithin(scope, a.Scope) || (!filter.AtScope && ArmScope.IsWithin(a.Scope, scope)))
            .Where(a => filter.PrincipalId is null || string.Equals(a.PrincipalId, filter.PrincipalId, StringComparison.OrdinalIgnoreCase))
            .OrderBy(a => a.Id, StringComparer.OrdinalIgnoreCase)
            .Select(Represent);
        return ArmJson.List(assignments);
    }

    /// <summary>When the principal was created: an application's service principal or a user-assigned identity.</summary>
    private static DateTimeOffset? PrincipalCreatedAt(SandboxDirectory.State state, string principalId) =>
        state.ServicePrincipals.TryGetValue(principalId, out var sp)
            ? sp.CreatedAt
            : state.Identities.Values.FirstOrDefault(i => string.Equals(i.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase))?.CreatedAt;

    private static IResult PrincipalNotFound(SandboxDirectory directory, Guid principalId) => ArmError.BadRequest(
        "PrincipalNotFound",
        $"Principal {principalId:N} does not exist in the directory {directory.TenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group. See https://aka.ms/docs-principaltype");

    private static JsonObject Represent(RoleAssignment assignment) => new()
    {
        ["id"] = assignment.Id,
        ["name"] = assignment.Name,
        ["type"] = Type,
        ["properties"] = new JsonObject
        {
            ["roleDefinitionId"] = assignment.RoleDefinitionId,
            ["principalId"] = assignment.PrincipalId,
            ["principalType"] = assignment.PrincipalType,
            ["scope"] = assignment.Scope.Length == 0 ? "/" : assignment.Scope,
            ["condition"] = null,
            ["conditionVersion"] = null,
            ["description"] = null,
            ["delegatedManagedIdentityResourceId"] = null,
        },
    };
}
