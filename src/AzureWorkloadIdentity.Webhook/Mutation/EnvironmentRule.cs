using System.Text.Json;
using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 3: append each identity variable the container does not define yet. Any entry of that name counts,
/// including a <c>valueFrom</c> one; entries the user set are never overwritten. An entry the webhook injected
/// itself (its value equals the pod's <see cref="InjectionRecord"/>) follows the current service account: replaced
/// when the account gives another value, removed when it gives none.
/// </summary>
public static class EnvironmentRule
{
    private static readonly string[] AccountVariables = [WorkloadIdentityEnvironment.ClientId, WorkloadIdentityEnvironment.TenantId];

    /// <summary>Adds operations for a container of the pod as received, whose arrays are at <paramref name="paths"/>.</summary>
    public static void Apply(JsonElement container, ContainerPaths paths, IdentityEnvironment environment, InjectionRecord record, PatchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(builder);
        var env = PodJson.Array(container, "env");
        if (env.ValueKind != JsonValueKind.Array)
        {
            builder.AppendAll(paths.Env, false, environment.Values, environment.WholeArray);
            return;
        }

        if (!record.IsNone)
        {
            FollowAccount(env, paths, environment, record, builder);
        }

        var variables = environment.Variables;
        for (var i = 0; i < variables.Count; i++)
        {
            var variable = variables[i];
            if (!PodJson.ContainsNamed(env, variable.Name))
            {
                builder.Append(paths.Env, true, variable.Json);
            }
        }
    }

    /// <summary>
    /// True when the container holds a value the record says the webhook injected (a pod that no longer opts in must
    /// not keep one).
    /// </summary>
    public static bool HoldsRecordedValue(JsonElement container, InjectionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var env = PodJson.Array(container, "env");
        foreach (var name in AccountVariables)
        {
            if (record.Recorded(name) is { } recorded && IndexOfOwn(env, name, recorded) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    // Replacements first, then removals from the highest index down: both address entries by their index as
    // received, which an earlier removal would shift; the appends that follow use "/-".
    private static void FollowAccount(JsonElement env, ContainerPaths paths, IdentityEnvironment environment, InjectionRecord record, PatchBuilder builder)
    {
        Span<int> removals = stackalloc int[AccountVariables.Length];
        var removalCount = 0;
        foreach (var name in AccountVariables)
        {
            if (record.Recorded(name) is not { } recorded)
            {
                continue;
            }

            var index = IndexOfOwn(env, name, recorded);
            if (index < 0)
            {
                continue;
            }

            var current = environment.Find(name);
            if (current is null)
            {
                removals[removalCount++] = index;
            }
            else if (current.Value != recorded)
            {
                builder.Replace(paths.EnvItem(index) + "/value", current.ValueJson);
            }
        }

        removals[..removalCount].Sort();
        for (var i = removalCount - 1; i >= 0; i--)
        {
            builder.Remove(paths.EnvItem(removals[i]));
        }
    }

    /// <summary>The index of the first entry named <paramref name="name"/> when it is a plain value equal to <paramref name="recorded"/>, else -1.</summary>
    private static int IndexOfOwn(JsonElement env, string name, string recorded)
    {
        if (env.ValueKind != JsonValueKind.Array)
        {
            return -1;
        }

        var index = 0;
        foreach (var entry in env.EnumerateArray())
        {
            if (PodJson.StringEquals(entry, "name", name))
            {
                var fromReference = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("valueFrom", out _);
                return !fromReference && PodJson.StringEquals(entry, "value", recorded) ? index : -1;
            }

            index++;
        }

        return -1;
    }
}
