using System.Text.RegularExpressions;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;

/// <summary>
/// The <c>$filter</c> of Microsoft.Authorization lists: clauses <c>roleName eq '…'</c>, <c>type eq '…'</c>,
/// <c>principalId eq '…'</c>, <c>assignedTo('…')</c> and <c>atScope()</c>, joined with <c>and</c>. Values are OData
/// string literals (a quote inside is doubled).
/// </summary>
internal sealed partial class AuthorizationFilter
{
    public string? RoleName { get; private init; }

    public string? RoleType { get; private init; }

    public string? PrincipalId { get; private init; }

    public bool AtScope { get; private init; }

    /// <summary>Parses <paramref name="filter"/>; null with <paramref name="error"/> set when a clause is not understood.</summary>
    public static AuthorizationFilter? Parse(string? filter, out string? error)
    {
        error = null;
        string? roleName = null, roleType = null, principalId = null;
        var atScope = false;
        if (string.IsNullOrWhiteSpace(filter))
        {
            return new AuthorizationFilter();
        }

        foreach (var clause in AndSeparator().Split(filter.Trim()))
        {
            var match = Clause().Match(clause);
            if (!match.Success)
            {
                error = $"The filter '{filter}' is not supported. Supported: roleName eq '<name>', type eq '<BuiltInRole|CustomRole>', principalId eq '<id>', assignedTo('<id>'), atScope().";
                return null;
            }

            var value = match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
            switch (match.Groups["name"].Value.ToLowerInvariant())
            {
                case "rolename": roleName = value; break;
                case "type": roleType = value; break;
                case "principalid" or "assignedto": principalId = value; break;
                default: atScope = true; break;
            }
        }

        return new AuthorizationFilter { RoleName = roleName, RoleType = roleType, PrincipalId = principalId, AtScope = atScope };
    }

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AndSeparator();

    [GeneratedRegex(@"^\s*(?:(?<name>roleName|type|principalId)\s+eq\s+'(?<value>(?:[^']|'')*)'|(?<name>assignedTo)\(\s*'(?<value>(?:[^']|'')*)'\s*\)|(?<name>atScope)\(\s*\))\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Clause();
}
