using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 3: append each identity variable the container does not define yet. Any entry of that name counts,
/// including a <c>valueFrom</c> one; existing entries are never overwritten.
/// </summary>
public static class EnvironmentRule
{
    /// <summary>Adds operations for a container of the pod as received, at <paramref name="containerPath"/>.</summary>
    public static void Apply(JsonObject container, string containerPath, IdentityEnvironment environment, PatchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(builder);
        var env = PodJson.Array(container, "env");
        var envPath = containerPath + "/env";
        if (env is null)
        {
            builder.AppendAll(envPath, false, environment.Variables.Select(v => v.Json).ToArray(), environment.WholeArray);
            return;
        }

        foreach (var variable in environment.Variables)
        {
            if (!PodJson.ContainsNamed(env, variable.Name))
            {
                builder.Append(envPath, true, variable.Json);
            }
        }
    }

    /// <summary>Adds the variables directly to a container the webhook creates itself.</summary>
    public static void ApplyTo(JsonObject container, IdentityEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(environment);
        if (container["env"] is not JsonArray env)
        {
            env = [];
            container["env"] = env;
        }

        foreach (var variable in environment.Variables)
        {
            if (!PodJson.ContainsNamed(env, variable.Name))
            {
                env.Add(JsonNode.Parse(variable.Json.Span));
            }
        }
    }
}
