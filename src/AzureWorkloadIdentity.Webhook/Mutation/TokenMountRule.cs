using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 4: mount the token volume read-only at <c>/var/run/secrets/azure/tokens</c> unless the container already
/// has a mount named <c>azure-identity-token</c> (whatever its path).
/// </summary>
public static class TokenMountRule
{
    /// <summary>The mount entry, serialised once.</summary>
    public static ReadOnlyMemory<byte> Mount { get; } = PatchValue.From(CreateMount());

    /// <summary>Adds the operation for a container of the pod as received, at <paramref name="containerPath"/>.</summary>
    public static void Apply(JsonObject container, string containerPath, PatchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var mounts = PodJson.Array(container, "volumeMounts");
        if (!PodJson.ContainsNamed(mounts, WorkloadIdentityDefaults.TokenVolumeName))
        {
            builder.Append(containerPath + "/volumeMounts", mounts is not null, Mount);
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

        if (!PodJson.ContainsNamed(mounts, WorkloadIdentityDefaults.TokenVolumeName))
        {
            mounts.Add((JsonNode)CreateMount());
        }
    }

    private static JsonObject CreateMount() => new()
    {
        ["name"] = WorkloadIdentityDefaults.TokenVolumeName,
        ["mountPath"] = WorkloadIdentityDefaults.TokenMountPath,
        ["readOnly"] = true,
    };
}
