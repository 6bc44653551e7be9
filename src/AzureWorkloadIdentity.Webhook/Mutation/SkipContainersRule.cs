using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 7: pod annotation <c>azure.workload.identity/skip-containers</c> lists container names (init and regular)
/// that get neither the environment nor the mount: <c>;</c>-separated, trimmed, empty entries ignored.
/// </summary>
public static class SkipContainersRule
{
    private static readonly HashSet<string> None = new(StringComparer.Ordinal);

    /// <summary>The names to skip; an empty set when the annotation is absent.</summary>
    public static IReadOnlySet<string> Parse(JsonObject pod)
    {
        var value = PodJson.Annotation(pod, WorkloadIdentityAnnotations.SkipContainers);
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
