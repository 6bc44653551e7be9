using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 4: mount the token volume read-only at <c>/var/run/secrets/azure/tokens</c> unless the container already
/// has a mount named <c>azure-identity-token</c> (whatever its path).
/// </summary>
public static class TokenMountRule
{
    /// <summary>The mount entry, serialised once.</summary>
    public static ReadOnlyMemory<byte> Mount { get; } = PatchValue.From(CreateMount());

    /// <summary>Adds the operation for a container of the pod as received, whose arrays are at <paramref name="paths"/>.</summary>
    public static void Apply(ContainerView container, ContainerPaths paths, PatchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(builder);
        if (!container.HasTokenMount)
        {
            builder.Append(paths.VolumeMounts, container.VolumeMountsKind == JsonValueKind.Array, Mount);
        }
    }

    /// <summary>Adds the mount directly to a container the webhook creates itself.</summary>
    public static void ApplyTo(JsonObject container)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (container["volumeMounts"] is not JsonArray mounts)
        {
            mounts = [];
            container["volumeMounts"] = mounts;
        }

        if (!mounts.Any(IsTokenMount))
        {
            mounts.Add((JsonNode)CreateMount());
        }
    }

    private static bool IsTokenMount(JsonNode? mount) =>
        mount is JsonObject entry && entry["name"] is JsonValue name && name.TryGetValue<string>(out var text) && text == WorkloadIdentityDefaults.TokenVolumeName;

    private static JsonObject CreateMount() => new()
    {
        ["name"] = WorkloadIdentityDefaults.TokenVolumeName,
        ["mountPath"] = WorkloadIdentityDefaults.TokenMountPath,
        ["readOnly"] = true,
    };
}
