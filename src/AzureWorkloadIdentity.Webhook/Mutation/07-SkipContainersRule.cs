using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 7: pod annotation <c>azure.workload.identity/skip-containers</c> lists container names (init and regular)
/// that get neither the environment nor the mount: <c>;</c>-separated, trimmed, empty entries ignored.
/// </summary>
internal static class SkipContainersRule
{
    private static readonly HashSet<string> None = new(StringComparer.Ordinal);

    /// <summary>The names to skip; a shared empty set (nothing allocated) when the annotation is absent or blank.</summary>
    public static IReadOnlySet<string> Parse(PodView pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var value = pod.Metadata.Annotations.SkipContainers;
        if (string.IsNullOrWhiteSpace(value))
        {
            return None;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            names.Add(part);
        }

        return names;
    }
}
