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

public sealed class CustomCloudTests
{
    [Fact]
    public void Parse_SandboxStyleFile_ReadsEndpointsWithTrailingSlash()
    {
        var cloud = CustomCloud.Parse("""
            {"name":"AzureStackCloud","activeDirectoryEndpoint":"https://127.0.0.1:4000","resourceManagerEndpoint":"https://127.0.0.1:4001/",
             "microsoftGraphEndpoint":"https://127.0.0.1:4002/v1.0","keyVaultDNSSuffix":"vault.azure.net"}
            """);

        Assert.Equal("https://127.0.0.1:4000/", cloud.AuthorityHost.AbsoluteUri);
        Assert.Equal("https://127.0.0.1:4001/", cloud.ResourceManagerEndpoint.AbsoluteUri);
        Assert.Equal("https://127.0.0.1:4002/v1.0/", cloud.GraphEndpoint.AbsoluteUri);
        Assert.Equal("https://vault.azure.net", cloud.KeyVaultResource);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("""{"resourceManagerEndpoint":"https://a/"}""", "activeDirectoryEndpoint")]
    [InlineData("""{"activeDirectoryEndpoint":"http://a/","resourceManagerEndpoint":"https://a/"}""", "https URL")]
    public void Parse_BadFile_NamesTheProblem(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => CustomCloud.Parse(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AzureStackCloud", true)]
    [InlineData("azurestackcloud", true)]
    [InlineData("AzurePublicCloud", false)]
    [InlineData(null, false)]
    public void IsCustom_MatchesNameIgnoringCase(string? name, bool expected) => Assert.Equal(expected, CustomCloud.IsCustom(name));
}
