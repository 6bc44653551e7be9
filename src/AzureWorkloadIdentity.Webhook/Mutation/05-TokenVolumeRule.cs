using System.Globalization;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 5: the pod needs exactly one volume named <c>azure-identity-token</c> projecting a service-account token at
/// path <c>azure-identity-token</c>. An existing one is kept untouched; a volume of that name with any other
/// definition is refused, so the patch never produces two volumes with one name.
/// </summary>
internal static class TokenVolumeRule
{
    /// <summary>Whether our volume is already there (the first volume of that name decides), or the conflict.</summary>
    public static RuleResult<bool> Check(PodSpecView spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.TokenVolumes is not [var first, ..])
        {
            return false;
        }

        return first.ProjectsToken
            ? true
            : new Denial(DenialReasons.ConflictingVolume,
                $"pod already has a volume named '{WorkloadIdentityDefaults.TokenVolumeName}' that does not project a service-account token "
                + $"at path '{WorkloadIdentityDefaults.TokenFileName}'; the webhook reserves that name for the workload identity token, so rename or remove that volume");
    }

    /// <summary>
    /// The pointer of the token volume's <c>expirationSeconds</c> when the webhook set it (it equals the record) and the
    /// lifetime now differs, so a reinvocation after a service-account change corrects it; else null.
    /// </summary>
    public static string? ExpirationToCorrect(PodSpecView spec, InjectionRecord record, long expirationSeconds)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.ExpirationSeconds is { } recorded && recorded != expirationSeconds ? RecordedExpiration(spec, recorded) : null;
    }

    /// <summary>True when the pod's token volume has the lifetime the record says the webhook set.</summary>
    public static bool HoldsRecordedVolume(PodSpecView spec, InjectionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.ExpirationSeconds is { } recorded && RecordedExpiration(spec, recorded) is not null;
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

    private static string? RecordedExpiration(PodSpecView spec, long recorded)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var volume in spec.TokenVolumes)
        {
            foreach (var (source, seconds) in volume.TokenSources)
            {
                if (seconds == recorded)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"/spec/volumes/{volume.Index}/projected/sources/{source}/serviceAccountToken/expirationSeconds");
                }
            }
        }

        return null;
    }
}
