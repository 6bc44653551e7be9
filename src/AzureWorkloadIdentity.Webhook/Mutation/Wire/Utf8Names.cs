using System.Text;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// The contract's names as UTF-8, encoded once: the reader compares every label key, annotation key and env name of a
/// pod with them, and comparing with a <see cref="string"/> would transcode it each time.
/// </summary>
internal static class Utf8Names
{
    public static readonly byte[] Use = Utf8(WorkloadIdentityLabels.Use);
    public static readonly byte[] TokenExpiration = Utf8(WorkloadIdentityAnnotations.ServiceAccountTokenExpiration);
    public static readonly byte[] SkipContainers = Utf8(WorkloadIdentityAnnotations.SkipContainers);
    public static readonly byte[] InjectProxySidecar = Utf8(WorkloadIdentityAnnotations.InjectProxySidecar);
    public static readonly byte[] ProxySidecarPort = Utf8(WorkloadIdentityAnnotations.ProxySidecarPort);
    public static readonly byte[] Injected = Utf8(WorkloadIdentityAnnotations.Injected);
    public static readonly byte[] TokenVolumeName = Utf8(WorkloadIdentityDefaults.TokenVolumeName);
    public static readonly byte[] TokenFileName = Utf8(WorkloadIdentityDefaults.TokenFileName);

    /// <summary><see cref="ContainerView.IdentityVariables"/>, slot by slot.</summary>
    public static readonly byte[][] IdentityVariables = [.. ContainerView.IdentityVariables.Select(Utf8)];

    private static byte[] Utf8(string name) => Encoding.UTF8.GetBytes(name);
}
