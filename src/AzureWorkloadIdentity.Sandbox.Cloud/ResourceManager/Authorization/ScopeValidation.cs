using System.Text.RegularExpressions;
using AzureWorkloadIdentity.Sandbox.Cloud;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;

/// <summary>Checks that a scope exists: the sandbox's subscription, one of its resource groups, or below one.</summary>
internal static partial class ScopeValidation
{
    /// <summary>An error when <paramref name="scope"/> does not name an existing place; null when it does.</summary>
    public static IResult? Check(SandboxDirectory directory, string scope, bool allowTenantRoot)
    {
        if (ArmScope.Normalize(scope).Length == 0)
        {
            return allowTenantRoot
                ? null
                : ArmError.BadRequest("InvalidScope", "The sandbox assigns roles at its subscription, a resource group or a resource, not at the tenant root.");
        }

        var match = SubscriptionScope().Match(scope);
        if (!match.Success)
        {
            return ArmError.BadRequest(
                "InvalidScope", $"The scope '{scope}' is not valid. Use /subscriptions/{{id}}[/resourceGroups/{{name}}[/providers/…]].");
        }

        if (!string.Equals(match.Groups["subscription"].Value, directory.SubscriptionId, StringComparison.OrdinalIgnoreCase))
        {
            return SubscriptionFilter.NotFound(match.Groups["subscription"].Value);
        }

        if (match.Groups["group"].Success
            && ResourceGroupsApi.Find(directory.Snapshot, directory.SubscriptionId, match.Groups["group"].Value) is null)
        {
            return ArmError.ResourceGroupNotFound(match.Groups["group"].Value);
        }

        return null;
    }

    [GeneratedRegex(@"^/subscriptions/(?<subscription>[^/]+)(?:/resourceGroups/(?<group>[^/]+)(?:/.+)?)?/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SubscriptionScope();
}
