using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubelet;

namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>
/// The two images the webhook injects for <c>inject-proxy-sidecar</c>, as the local kubelet runs them: <c>proxy</c> is
/// the built proxy (entrypoint <c>/proxy</c>, UID 1501 as in docker/proxy.Dockerfile) and <c>proxy-init</c> is
/// init/init-iptables.sh run by <c>/bin/sh</c> (as root, as the init container's securityContext asks).
/// </summary>
internal static class ProxyImages
{
    public const long ProxyUser = 1501;

    public static IReadOnlyList<LocalImage> For(string registry = WorkloadIdentityDefaults.ImageRegistry) =>
    [
        new LocalImage($"{registry}/{WorkloadIdentityDefaults.ProxyImageName}", "dotnet", [RepositoryPrograms.FindProxy()])
        {
            Entrypoint = "/proxy",
            User = ProxyUser,
        },
        new LocalImage($"{registry}/{WorkloadIdentityDefaults.ProxyInitImageName}", "/bin/sh", [RepositoryPrograms.FindInitScript()]),
    ];
}
