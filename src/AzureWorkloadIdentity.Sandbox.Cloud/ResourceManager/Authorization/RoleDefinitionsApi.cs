using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;

/// <summary><c>{scope}/providers/Microsoft.Authorization/roleDefinitions</c>: list (with <c>$filter</c>) and get.</summary>
internal static class RoleDefinitionsApi
{
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

        var roles = BuiltInRoles.All
            .Where(r => filter.RoleName is null || string.Equals(r.RoleName, filter.RoleName, StringComparison.OrdinalIgnoreCase))
            .Where(r => filter.RoleType is null || string.Equals(filter.RoleType, "BuiltInRole", StringComparison.OrdinalIgnoreCase))
            .Select(r => Represent(directory, scope, r));
        return ArmJson.List(roles);
    }

    public static IResult Get(SandboxDirectory directory, string scope, string name)
    {
        if (ScopeValidation.Check(directory, scope, allowTenantRoot: true) is { } invalid)
        {
            return invalid;
        }

        return BuiltInRoles.FindById(name) is { } role
            ? ArmJson.Result(Represent(directory, scope, role))
            : ArmError.Create(StatusCodes.Status404NotFound, "RoleDefinitionDoesNotExist", $"The specified role definition with ID '{name}' does not exist.");
    }

    /// <summary>Azure names built-in definitions by subscription when asked at or below one, and from the root otherwise.</summary>
    private static JsonObject Represent(SandboxDirectory directory, string scope, BuiltInRole role) => new()
    {
        ["id"] = ArmScope.Normalize(scope).Length == 0 ? $"/providers/Microsoft.Authorization/roleDefinitions/{role.Name}" : role.IdAt(directory.SubscriptionId),
        ["name"] = role.Name,
        ["type"] = "Microsoft.Authorization/roleDefinitions",
        ["properties"] = new JsonObject
        {
            ["roleName"] = role.RoleName,
            ["type"] = "BuiltInRole",
            ["description"] = role.Description,
            ["assignableScopes"] = ArmJson.Strings(["/"]),
            ["permissions"] = new JsonArray(new JsonObject
            {
                ["actions"] = ArmJson.Strings(role.Actions),
                ["notActions"] = ArmJson.Strings(role.NotActions),
                ["dataActions"] = ArmJson.Strings(role.DataActions),
                ["notDataActions"] = new JsonArray(),
            }),
            ["createdOn"] = "2015-02-02T21:55:09.8806423Z",
            ["updatedOn"] = "2024-01-01T00:00:00.0000000Z",
            ["createdBy"] = null,
            ["updatedBy"] = null,
        },
    };
}
