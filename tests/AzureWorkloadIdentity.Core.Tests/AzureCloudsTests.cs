using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Core.Tests;

public sealed class AzureCloudsTests
{
    [Theory]
    [InlineData("AzurePublicCloud", "https://login.microsoftonline.com/")]
    [InlineData("azurecloud", "https://login.microsoftonline.com/")]
    [InlineData("AZURECHINACLOUD", "https://login.chinacloudapi.cn/")]
    [InlineData("AzureUSGovernmentCloud", "https://login.microsoftonline.us/")]
    [InlineData("AzureUSGovernment", "https://login.microsoftonline.us/")]
    [InlineData("AzureGermanCloud", "https://login.microsoftonline.de/")]
    [InlineData("", "https://login.microsoftonline.com/")]
    [InlineData(null, "https://login.microsoftonline.com/")]
    public void TryGet_KnownName_ReturnsAuthorityHostWithTrailingSlash(string? name, string expected)
    {
        Assert.True(AzureClouds.TryGet(name, out var cloud));
        Assert.Equal(expected, cloud.AuthorityHost.AbsoluteUri);
    }

    [Fact]
    public void TryGet_UnknownName_Fails_AndMessageNamesAlternatives()
    {
        Assert.False(AzureClouds.TryGet("AzureMarsCloud", out _));
        var message = AzureClouds.UnknownCloudMessage("AzureMarsCloud");
        Assert.Contains("AzureMarsCloud", message, StringComparison.Ordinal);
        Assert.Contains("AzurePublicCloud", message, StringComparison.Ordinal);
    }
}
