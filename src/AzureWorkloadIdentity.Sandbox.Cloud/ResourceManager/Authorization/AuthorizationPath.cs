using System.Text.RegularExpressions;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;

/// <summary>
/// <c>{scope}/providers/Microsoft.Authorization/{roleAssignments|roleDefinitions}[/{name}]</c>, where the scope is
/// empty (the tenant root), a subscription, a resource group or a resource id.
/// </summary>
internal sealed partial record AuthorizationPath(string Scope, bool IsRoleAssignments, string? Name)
{
    public static AuthorizationPath? Parse(string path)
    {
        var match = Pattern().Match("/" + path.TrimStart('/'));
        return match.Success
            ? new AuthorizationPath(
                match.Groups["scope"].Value,
                match.Groups["kind"].Value.Equals("roleAssignments", StringComparison.OrdinalIgnoreCase),
                match.Groups["name"].Success ? match.Groups["name"].Value : null)
            : null;
    }

    [GeneratedRegex(@"^(?<scope>(?:/.*?)?)/providers/Microsoft\.Authorization/(?<kind>roleAssignments|roleDefinitions)(?:/(?<name>[^/]+))?/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
