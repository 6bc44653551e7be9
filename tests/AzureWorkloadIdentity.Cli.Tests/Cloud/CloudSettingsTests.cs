using AzureWorkloadIdentity.Cli.Cloud;

namespace AzureWorkloadIdentity.Cli.Tests.Cloud;

public sealed class CloudSettingsTests
{
    [Theory]
    [InlineData(null, "https://graph.microsoft.com/.default", "https://graph.microsoft.com/v1.0")]
    [InlineData("AzureUSGovernmentCloud", "https://graph.microsoft.us/.default", "https://graph.microsoft.us/v1.0")]
    [InlineData("azurechinacloud", "https://microsoftgraph.chinacloudapi.cn/.default", "https://microsoftgraph.chinacloudapi.cn/v1.0")]
    public void Resolve_KnownCloud_GraphScopeAndBaseUrl(string? name, string scope, string baseUrl)
    {
        var cloud = CloudSettings.Resolve(name, _ => null);

        Assert.Equal(scope, cloud.GraphScope);
        Assert.Equal(baseUrl, cloud.GraphBaseUrl);
        Assert.False(cloud.IsCustom);
    }

    [Fact]
    public void Resolve_UnknownCloud_ErrorNamesFlagAndChoices()
    {
        var error = Assert.Throws<CliUsageException>(() => CloudSettings.Resolve("MarsCloud", _ => null));

        Assert.StartsWith("failed to parse --azure-env as a valid target Azure cloud environment", error.Message, StringComparison.Ordinal);
        Assert.Contains("AzurePublicCloud", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_CustomCloudWithoutFile_ErrorNamesVariable()
    {
        var error = Assert.Throws<CliUsageException>(() => CloudSettings.Resolve("AzureStackCloud", _ => null));

        Assert.Contains("AZURE_ENVIRONMENT_FILEPATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_CustomCloudFile_EndpointsAndAudiences()
    {
        var path = Path.Combine(Path.GetTempPath(), "azwi-cloud-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """
            {"name":"AzureStackCloud","activeDirectoryEndpoint":"https://127.0.0.1:5001/","resourceManagerEndpoint":"https://127.0.0.1:5002/",
             "microsoftGraphEndpoint":"https://127.0.0.1:5003/v1.0","tokenAudience":"https://management.azure.com/",
             "resourceIdentifiers":{"microsoftGraph":"https://graph.microsoft.com/"}}
            """);
        try
        {
            var cloud = CloudSettings.Resolve("AzureStackCloud", name => name == CloudSettings.EnvironmentFileVariable ? path : null);

            Assert.True(cloud.IsCustom);
            Assert.Equal(new Uri("https://127.0.0.1:5001/"), cloud.Cloud.AuthorityHost);
            Assert.Equal("https://127.0.0.1:5003/v1.0", cloud.GraphBaseUrl);
            Assert.Equal("https://graph.microsoft.com/.default", cloud.GraphScope);
            Assert.Equal("https://management.azure.com/.default", cloud.ResourceManagerScope);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
