namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

/// <summary>Resource Manager ids as scopes: <c>/subscriptions/s</c> contains <c>/subscriptions/s/resourceGroups/g/…</c>.</summary>
internal static class ArmScope
{
    /// <summary>Whether <paramref name="id"/> is <paramref name="scope"/> or lies below it (ids compare ignoring case).</summary>
    public static bool IsWithin(string id, string scope)
    {
        var normalizedScope = Normalize(scope);
        var normalizedId = Normalize(id);
        return normalizedScope.Length == 0
            || string.Equals(normalizedId, normalizedScope, StringComparison.OrdinalIgnoreCase)
            || normalizedId.StartsWith(normalizedScope + "/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Without a trailing slash; the tenant root <c>/</c> becomes the empty string.</summary>
    public static string Normalize(string scope) => scope.TrimEnd('/');
}
