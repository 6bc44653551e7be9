using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;

/// <summary>
/// Dispatches <c>{scope}/providers/Microsoft.Authorization/…</c>: the scope is any depth of resource id, which a route
/// template cannot express before a fixed suffix, so the last-resort route lands here and the path is parsed.
/// </summary>
internal static class AuthorizationEndpoints
{
    public static Task<IResult> DispatchAsync(HttpRequest request, SandboxDirectory directory, ResourceManagerOptions options, string? path)
    {
        if (AuthorizationPath.Parse(path ?? "") is not { } target)
        {
            return Task.FromResult(ArmError.Create(
                StatusCodes.Status404NotFound,
                "InvalidResourceType",
                $"The resource type of '/{path}' could not be found. The sandbox's Resource Manager serves resource groups, Microsoft.ManagedIdentity, Microsoft.KeyVault/vaults and Microsoft.Authorization."));
        }

        var method = request.Method;
        return (target.IsRoleAssignments, target.Name) switch
        {
            (true, null) when HttpMethods.IsGet(method) => Task.FromResult(RoleAssignmentsApi.List(request, directory, target.Scope)),
            (true, { } name) when HttpMethods.IsGet(method) => Task.FromResult(RoleAssignmentsApi.Get(directory, target.Scope, name)),
            (true, { } name) when HttpMethods.IsPut(method) => RoleAssignmentsApi.PutAsync(request, directory, options, target.Scope, name),
            (true, { } name) when HttpMethods.IsDelete(method) => Task.FromResult(RoleAssignmentsApi.Delete(directory, target.Scope, name)),
            (false, null) when HttpMethods.IsGet(method) => Task.FromResult(RoleDefinitionsApi.List(request, directory, target.Scope)),
            (false, { } name) when HttpMethods.IsGet(method) => Task.FromResult(RoleDefinitionsApi.Get(directory, target.Scope, name)),
            _ => Task.FromResult(ArmError.Create(
                StatusCodes.Status405MethodNotAllowed,
                "MethodNotAllowed",
                $"The sandbox does not support {method} on '/{path}'. Role definitions are read-only (built-in roles).")),
        };
    }
}
