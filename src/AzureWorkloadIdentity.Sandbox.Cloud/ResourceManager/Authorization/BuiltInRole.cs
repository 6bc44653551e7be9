namespace AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;

/// <summary>An Azure built-in role definition (its permissions as Azure publishes them).</summary>
/// <param name="Name">The role definition's GUID, the same in every subscription.</param>
public sealed record BuiltInRole(
    string Name,
    string RoleName,
    string Description,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> NotActions,
    IReadOnlyList<string> DataActions)
{
    /// <summary>The role definition's id at a subscription, as role assignments reference it.</summary>
    public string IdAt(string subscriptionId) => $"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{Name}";

    /// <summary>Whether the role allows <paramref name="dataAction"/> (wildcards <c>*</c> as Azure evaluates them).</summary>
    public bool AllowsDataAction(string dataAction) => DataActions.Any(pattern => Matches(pattern, dataAction));

    private static bool Matches(string pattern, string action)
    {
        if (pattern.EndsWith('*'))
        {
            return action.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(pattern, action, StringComparison.OrdinalIgnoreCase);
    }
}
