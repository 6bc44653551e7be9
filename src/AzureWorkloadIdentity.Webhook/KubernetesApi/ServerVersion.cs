using System.Globalization;
using k8s.Models;

namespace AzureWorkloadIdentity.Webhook.KubernetesApi;

/// <summary>The API server's Kubernetes version from <c>GET /version</c>.</summary>
internal static class ServerVersion
{
    /// <summary>The first version where every kubelet the version-skew policy allows has native sidecars.</summary>
    public static Version NativeSidecarMinimum { get; } = new(1, 32);

    /// <summary>
    /// Major and minor from <c>major</c>/<c>minor</c> (providers add a trailing <c>+</c>, e.g. <c>"32+"</c>), else from
    /// <c>gitVersion</c> (<c>v1.32.1-eks-…</c>); null when neither can be read.
    /// </summary>
    public static Version? Parse(VersionInfo? info)
    {
        if (info is null)
        {
            return null;
        }

        if (TryNumber(info.Major, out var major) && TryNumber(info.Minor, out var minor))
        {
            return new Version(major, minor);
        }

        var git = info.GitVersion?.TrimStart('v').Split('.', 3);
        return git is { Length: >= 2 } && TryNumber(git[0], out major) && TryNumber(git[1], out minor) ? new Version(major, minor) : null;
    }

    private static bool TryNumber(string? text, out int value) =>
        int.TryParse(text?.TrimEnd('+'), NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
