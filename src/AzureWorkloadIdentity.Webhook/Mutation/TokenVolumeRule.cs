using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 5: the pod needs exactly one volume named <c>azure-identity-token</c> projecting a service-account token at
/// path <c>azure-identity-token</c>. An existing one is kept untouched; a volume of that name with any other
/// definition is refused, so the patch never produces two volumes with one name.
/// </summary>
public static class TokenVolumeRule
{
    /// <summary>Checks the existing volumes: <paramref name="present"/> when ours is already there.</summary>
    public static bool TryCheck(JsonElement pod, out bool present, out string? error)
    {
        present = false;
        error = null;
        var volumes = PodJson.Array(PodJson.Object(pod, "spec"), "volumes");
        if (volumes.ValueKind != JsonValueKind.Array)
        {
            return true;
        }

        foreach (var volume in volumes.EnumerateArray())
        {
            if (!PodJson.StringEquals(volume, "name", WorkloadIdentityDefaults.TokenVolumeName))
            {
                continue;
            }

            if (ProjectsToken(volume))
            {
                present = true;
                return true;
            }

            error = $"pod already has a volume named '{WorkloadIdentityDefaults.TokenVolumeName}' that does not project a service-account token "
                + $"at path '{WorkloadIdentityDefaults.TokenFileName}'; the webhook reserves that name for the workload identity token, so rename or remove that volume";
            return false;
        }

        return true;
    }

    /// <summary>
    /// The pointer of the token volume's <c>expirationSeconds</c> when the webhook set it (it equals the record) and the
    /// lifetime now differs, so a reinvocation after a service-account change corrects it; else null.
    /// </summary>
    public static string? ExpirationToCorrect(JsonElement pod, InjectionRecord record, long expirationSeconds)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.ExpirationSeconds is { } recorded && recorded != expirationSeconds ? RecordedExpiration(pod, recorded) : null;
    }

    /// <summary>True when the pod's token volume has the lifetime the record says the webhook set.</summary>
    public static bool HoldsRecordedVolume(JsonElement pod, InjectionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.ExpirationSeconds is { } recorded && RecordedExpiration(pod, recorded) is not null;
    }

    private static string? RecordedExpiration(JsonElement pod, long recorded)
    {
        var volumes = PodJson.Array(PodJson.Object(pod, "spec"), "volumes");
        if (volumes.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var v = 0;
        foreach (var volume in volumes.EnumerateArray())
        {
            var sources = PodJson.Array(PodJson.Object(volume, "projected"), "sources");
            if (PodJson.StringEquals(volume, "name", WorkloadIdentityDefaults.TokenVolumeName) && sources.ValueKind == JsonValueKind.Array)
            {
                var s = 0;
                foreach (var source in sources.EnumerateArray())
                {
                    var token = PodJson.Object(source, "serviceAccountToken");
                    if (PodJson.StringEquals(token, "path", WorkloadIdentityDefaults.TokenFileName)
                        && token.TryGetProperty("expirationSeconds", out var seconds) && seconds.ValueKind == JsonValueKind.Number
                        && seconds.TryGetInt64(out var value) && value == recorded)
                    {
                        return string.Create(CultureInfo.InvariantCulture, $"/spec/volumes/{v}/projected/sources/{s}/serviceAccountToken/expirationSeconds");
                    }

                    s++;
                }
            }

            v++;
        }

        return null;
    }

    /// <summary>The volume to add, as JSON.</summary>
    public static JsonObject Create(long expirationSeconds, string audience) => new()
    {
        ["name"] = WorkloadIdentityDefaults.TokenVolumeName,
        ["projected"] = new JsonObject
        {
            ["sources"] = new JsonArray(new JsonObject
            {
                ["serviceAccountToken"] = new JsonObject
                {
                    ["path"] = WorkloadIdentityDefaults.TokenFileName,
                    ["expirationSeconds"] = expirationSeconds,
                    ["audience"] = audience,
                },
            }),
        },
    };

    private static bool ProjectsToken(JsonElement volume)
    {
        var sources = PodJson.Array(PodJson.Object(volume, "projected"), "sources");
        if (sources.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var source in sources.EnumerateArray())
        {
            if (PodJson.StringEquals(PodJson.Object(source, "serviceAccountToken"), "path", WorkloadIdentityDefaults.TokenFileName))
            {
                return true;
            }
        }

        return false;
    }
}
