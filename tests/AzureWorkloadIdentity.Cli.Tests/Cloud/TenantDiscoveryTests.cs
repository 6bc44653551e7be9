using AzureWorkloadIdentity.Cli.Cloud;

namespace AzureWorkloadIdentity.Cli.Tests.Cloud;

public sealed class TenantDiscoveryTests
{
    [Theory]
    [InlineData("Bearer authorization_uri=\"https://login.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47\", error=\"invalid_token\"", "72f988bf-86f1-41af-91ab-2d7cd011db47")]
    [InlineData("Bearer error=\"invalid_token\"", null)]
    public void ParseTenant_Header_TenantOrNull(string header, string? expected) =>
        Assert.Equal(expected, TenantDiscovery.ParseTenant(header));
}
