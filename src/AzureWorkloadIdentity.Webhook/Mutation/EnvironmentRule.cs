using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 3: append each identity variable the container does not define yet. Any entry of that name counts,
/// including a <c>valueFrom</c> one; existing entries are never overwritten.
/// </summary>
public static class EnvironmentRule
{
    /// <summary>Adds operations for a container of the pod as received, whose arrays are at <paramref name="paths"/>.</summary>
    public static void Apply(JsonElement container, ContainerPaths paths, IdentityEnvironment environment, PatchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(builder);
        var env = PodJson.Array(container, "env");
        if (env.ValueKind != JsonValueKind.Array)
        {
            builder.AppendAll(paths.Env, false, environment.Values, environment.WholeArray);
            return;
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
}
