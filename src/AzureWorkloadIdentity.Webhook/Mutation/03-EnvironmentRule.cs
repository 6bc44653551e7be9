using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 3: append each identity variable the container does not define yet. Any entry of that name counts,
/// including a <c>valueFrom</c> one; entries the user set are never overwritten. An entry the webhook injected
/// itself (its value equals the pod's <see cref="InjectionRecord"/>) follows the current service account: replaced
/// when the account gives another value, removed when it gives none (rule 9).
/// </summary>
public static class EnvironmentRule
{
    private static readonly string[] AccountVariables = [WorkloadIdentityEnvironment.ClientId, WorkloadIdentityEnvironment.TenantId];

    /// <summary>Adds operations for a container of the pod as received, whose arrays are at <paramref name="paths"/>.</summary>
    public static void Apply(ContainerView container, ContainerPaths paths, IdentityEnvironment environment, InjectionRecord record, PatchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(builder);
        if (container.EnvKind != System.Text.Json.JsonValueKind.Array)
        {
            builder.AppendAll(paths.Env, false, environment.Values, environment.WholeArray);
            return;
        }

        if (!record.IsNone)
        {
            FollowAccount(container, paths, environment, record, builder);
        }

        var variables = environment.Variables;
        for (var i = 0; i < variables.Count; i++)
        {
            if (container.Env(variables[i].Name) is null)
            {
                builder.Append(paths.Env, true, variables[i].Json);
            }
        }
    }

    /// <summary>True when the container holds a value the record says the webhook injected.</summary>
    public static bool HoldsRecordedValue(ContainerView container, InjectionRecord record)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(record);
        foreach (var name in AccountVariables)
        {
            if (record.Recorded(name) is { } recorded && IndexOfOwn(container, name, recorded) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    // Replacements first, then removals from the highest index down: both address entries by their index as
    // received, which an earlier removal would shift; the appends that follow use "/-".
    private static void FollowAccount(ContainerView container, ContainerPaths paths, IdentityEnvironment environment, InjectionRecord record, PatchBuilder builder)
    {
        Span<int> removals = stackalloc int[AccountVariables.Length];
        var removalCount = 0;
        foreach (var name in AccountVariables)
        {
            if (record.Recorded(name) is not { } recorded || IndexOfOwn(container, name, recorded) is var index && index < 0)
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
    private static int IndexOfOwn(ContainerView container, string name, string recorded) =>
        container.Env(name) is { FromReference: false } entry && entry.Value == recorded ? entry.Index : -1;
}
