using System.Collections.Frozen;
using AzureWorkloadIdentity.Core;
using k8s.Models;

namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>
/// Reduces a <see cref="V1ServiceAccount"/> to what mutation needs. Accounts without any
/// <c>azure.workload.identity/</c> metadata share one empty map; the cache keeps only their key
/// (<see cref="PlainServiceAccounts"/>) and answers with <see cref="Plain"/>.
/// </summary>
internal static class ServiceAccountProjection
{
    private static readonly IReadOnlyDictionary<string, string> Empty = FrozenDictionary<string, string>.Empty;

    /// <summary>An account that exists and carries none of our metadata.</summary>
    public static ServiceAccountIdentity Plain(ServiceAccountKey key) => new(key.Namespace, key.Name, Empty, Empty);

    /// <summary>Whether <paramref name="identity"/> kept no metadata: nothing to inject, only its existence matters.</summary>
    public static bool IsPlain(ServiceAccountIdentity identity) =>
        ReferenceEquals(identity.Labels, Empty) && ReferenceEquals(identity.Annotations, Empty);

    public static ServiceAccountIdentity Project(V1ServiceAccount account, Func<string, string> intern)
    {
        var metadata = account.Metadata;
        return new ServiceAccountIdentity(
            intern(metadata.NamespaceProperty ?? string.Empty),
            metadata.Name ?? string.Empty,
            Filter(metadata.Labels),
            Filter(metadata.Annotations));
    }

    public static ServiceAccountKey KeyOf(V1ServiceAccount account, Func<string, string> intern) =>
        new(intern(account.Metadata.NamespaceProperty ?? string.Empty), account.Metadata.Name ?? string.Empty);

    private static IReadOnlyDictionary<string, string> Filter(IDictionary<string, string>? source)
    {
        if (source is null || source.Count == 0)
        {
            return Empty;
        }

        Dictionary<string, string>? kept = null;
        foreach (var (key, value) in source)
        {
            if (key.StartsWith(WorkloadIdentityLabels.Prefix, StringComparison.Ordinal))
            {
                // Small plain dictionaries with shared key and value strings: about half the memory of frozen ones.
                (kept ??= new Dictionary<string, string>(2, StringComparer.Ordinal))[Intern(key)] =
                    value == WorkloadIdentityLabels.UseValue ? WorkloadIdentityLabels.UseValue : value;
            }
        }

        if (kept is null)
        {
            return Empty;
        }

        kept.TrimExcess();
        return kept.AsReadOnly();
    }

    private static string Intern(string key) => key switch
    {
        WorkloadIdentityLabels.Use => WorkloadIdentityLabels.Use,
        WorkloadIdentityAnnotations.ClientId => WorkloadIdentityAnnotations.ClientId,
        WorkloadIdentityAnnotations.TenantId => WorkloadIdentityAnnotations.TenantId,
        WorkloadIdentityAnnotations.ServiceAccountTokenExpiration => WorkloadIdentityAnnotations.ServiceAccountTokenExpiration,
        _ => key,
    };
}
