namespace AzureWorkloadIdentity.Sandbox.Cloud;

/// <summary>
/// Copy-on-write helpers for <see cref="SandboxDirectory.State"/>'s dictionaries: each change makes a new
/// case-insensitive dictionary, so a snapshot handed out earlier never changes under its reader.
/// </summary>
public static class DirectoryMaps
{
    /// <summary>A copy of <paramref name="map"/> with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public static IReadOnlyDictionary<string, T> With<T>(this IReadOnlyDictionary<string, T> map, string key, T value)
    {
        ArgumentNullException.ThrowIfNull(map);
        var copy = new Dictionary<string, T>(map, StringComparer.OrdinalIgnoreCase) { [key] = value };
        return copy;
    }

    /// <summary>A copy of <paramref name="map"/> without <paramref name="key"/>.</summary>
    public static IReadOnlyDictionary<string, T> Without<T>(this IReadOnlyDictionary<string, T> map, string key)
    {
        ArgumentNullException.ThrowIfNull(map);
        var copy = new Dictionary<string, T>(map, StringComparer.OrdinalIgnoreCase);
        copy.Remove(key);
        return copy;
    }

    /// <summary>A copy of <paramref name="map"/> keeping only the entries <paramref name="keep"/> accepts.</summary>
    public static IReadOnlyDictionary<string, T> Keep<T>(this IReadOnlyDictionary<string, T> map, Func<T, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(keep);
        var copy = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in map)
        {
            if (keep(value))
            {
                copy[key] = value;
            }
        }

        return copy;
    }
}
