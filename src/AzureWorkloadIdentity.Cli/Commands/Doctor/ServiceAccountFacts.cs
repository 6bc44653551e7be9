using AzureWorkloadIdentity.Core;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>The identity annotations of a service account, as the webhook reads them.</summary>
internal static class ServiceAccountFacts
{
    public static string? ClientId(V1ServiceAccount? account) => Annotation(account, WorkloadIdentityAnnotations.ClientId);

    public static string? TenantId(V1ServiceAccount? account) => Annotation(account, WorkloadIdentityAnnotations.TenantId);

    /// <summary>The canonical 8-4-4-4-12 form Entra ID accepts.</summary>
    public static bool IsGuid(string value) => Guid.TryParseExact(value, "D", out _);

    private static string? Annotation(V1ServiceAccount? account, string key) =>
        account?.Metadata?.Annotations?.TryGetValue(key, out var value) == true ? value : null;
}
