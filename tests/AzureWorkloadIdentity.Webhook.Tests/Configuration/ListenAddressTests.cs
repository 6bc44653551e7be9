using AzureWorkloadIdentity.Webhook.Configuration;

namespace AzureWorkloadIdentity.Webhook.Tests.Configuration;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData(":9440", "::", 9440)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData("[::1]:8095", "::1", 8095)]
    [InlineData("localhost:9440", "127.0.0.1", 9440)]
    public void TryParse_Valid_Parses(string text, string address, int port)
    {
        Assert.True(ListenAddress.TryParse(text, out var endPoint));
        Assert.Equal(address, endPoint.Address.ToString());
        Assert.Equal(port, endPoint.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("9440")]
    [InlineData(":99999")]
    [InlineData("host.example:80")]
    [InlineData(":-1")]
    public void TryParse_Invalid_Rejected(string text) => Assert.False(ListenAddress.TryParse(text, out _));
}
