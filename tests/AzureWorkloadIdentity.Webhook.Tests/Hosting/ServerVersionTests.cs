using AzureWorkloadIdentity.Webhook.KubernetesApi;
using k8s.Models;

namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

public sealed class ServerVersionTests
{
    [Theory]
    [InlineData("1", "32", "v1.32.0", "1.32")]
    [InlineData("1", "31+", "v1.31.4-eks-2d5f260", "1.31")]
    [InlineData("", "", "v1.33.2-gke.100", "1.33")]
    [InlineData(null, null, "1.29.0", "1.29")]
    [InlineData("x", "y", "vnext", null)]
    [InlineData(null, null, null, null)]
    public void Parse_VersionInfo_ReadsMajorAndMinor(string? major, string? minor, string? gitVersion, string? expected)
    {
        var version = ServerVersion.Parse(new VersionInfo { Major = major, Minor = minor, GitVersion = gitVersion });

        Assert.Equal(expected, version?.ToString());
    }

    [Theory]
    [InlineData(31, false)]
    [InlineData(32, true)]
    [InlineData(40, true)]
    public void NativeSidecarMinimum_Is132(int minor, bool native) =>
        Assert.Equal(native, new Version(1, minor) >= ServerVersion.NativeSidecarMinimum);
}
