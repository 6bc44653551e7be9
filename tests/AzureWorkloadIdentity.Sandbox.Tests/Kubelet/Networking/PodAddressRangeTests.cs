using System.Net;
using AzureWorkloadIdentity.Sandbox.Kubelet;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet.Networking;

public sealed class PodAddressRangeTests
{
    [Fact]
    public void Choose_NoOverlappingRoute_FirstCandidate()
    {
        var range = PodAddressRange.Choose(["default", "192.0.2.0/24", "10.88.0.0/16", "127.0.0.0/8"]);

        Assert.Equal("10.244.0.0/16", range.ToString());
        Assert.Equal((IPAddress.Parse("10.244.0.1"), IPAddress.Parse("10.244.0.2")), range.Link(0));
        Assert.Equal((IPAddress.Parse("10.244.1.5"), IPAddress.Parse("10.244.1.6")), range.Link(65));
        Assert.Equal(16384, range.Capacity);
    }

    [Fact]
    public void Choose_RouteInsideFirstCandidate_NextCandidate()
    {
        var range = PodAddressRange.Choose(["10.244.3.0/24", "10.0.0.0/8"]);

        Assert.Equal("172.30.0.0/16", range.ToString());
    }

    [Fact]
    public void Choose_EveryCandidateTaken_ErrorNamesRangesAndRoutes()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PodAddressRange.Choose(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]));

        Assert.Contains("10.244.0.0/16", error.Message, StringComparison.Ordinal);
        Assert.Contains("172.16.0.0/12", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_IndexOutsideRange_Throws()
    {
        var range = PodAddressRange.Choose([]);

        Assert.Throws<ArgumentOutOfRangeException>(() => range.Link(range.Capacity));
    }
}
