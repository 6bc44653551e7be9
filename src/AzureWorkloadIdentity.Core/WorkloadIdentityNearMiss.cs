namespace AzureWorkloadIdentity.Core;

/// <summary>
/// Recognises label and annotation keys that look like ours but are not (<c>azure.workload.identity/client_id</c>,
/// <c>azure.workload.identity/clientid</c>, <c>azure.workload.identity.io/client-id</c>): the webhook ignores them
/// silently, so the webhook's admission warnings and <c>azwi doctor</c> name them. Allocation-free: the webhook calls
/// it for every key of every pod it admits.
/// </summary>
public static class WorkloadIdentityNearMiss
{
    private static readonly string[] Keys =
    [
        WorkloadIdentityLabels.Use,
        WorkloadIdentityAnnotations.ClientId,
        WorkloadIdentityAnnotations.TenantId,
        WorkloadIdentityAnnotations.ServiceAccountTokenExpiration,
        WorkloadIdentityAnnotations.SkipContainers,
        WorkloadIdentityAnnotations.InjectProxySidecar,
        WorkloadIdentityAnnotations.ProxySidecarPort,
    ];

    /// <summary>The key <paramref name="key"/> was probably meant to be, or null when it is one of ours or unrelated.</summary>
    public static string? Intended(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1)
        {
            return null;
        }

        var prefix = key.AsSpan(0, slash);
        var name = key.AsSpan(slash + 1);
        if (!LooksLikeOurPrefix(prefix))
        {
            return null;
        }

        foreach (var known in Keys)
        {
            if (SameIgnoringSeparators(name, known.AsSpan(WorkloadIdentityLabels.Prefix.Length)))
            {
                return string.Equals(key, known, StringComparison.Ordinal) ? null : known;
            }
        }

        return null;
    }

    // "azure.workload.identity", "azure-workload-identity.io", "workload.identity", "Azure.Workload.Identity" …
    private static bool LooksLikeOurPrefix(ReadOnlySpan<char> prefix) =>
        prefix.Contains("workload", StringComparison.OrdinalIgnoreCase) && prefix.Contains("identity", StringComparison.OrdinalIgnoreCase);

    private static bool SameIgnoringSeparators(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < a.Length && IsSeparator(a[i]))
            {
                i++;
            }

            while (j < b.Length && IsSeparator(b[j]))
            {
                j++;
            }

            if (i == a.Length || j == b.Length)
            {
                return i == a.Length && j == b.Length;
            }

            if (char.ToLowerInvariant(a[i]) != char.ToLowerInvariant(b[j]))
            {
                return false;
            }

            i++;
            j++;
        }
    }

    private static bool IsSeparator(char c) => c is '-' or '_' or '.';
}
