using AzureWorkloadIdentity.Proxy.Configuration;

namespace AzureWorkloadIdentity.Proxy.Tests.Configuration;

public sealed class ProxyOptionsTests
{
    private static Func<string, string?> Env(Dictionary<string, string> values) => n => values.GetValueOrDefault(n);

    [Fact]
    public void Load_NothingSet_NamesEveryMissingVariable()
    {
        var ex = Assert.Throws<ProxyOptionsException>(() => ProxyOptions.Load([], Env([])));
        Assert.Contains(ex.Errors, e => e.StartsWith("AZURE_TENANT_ID", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("AZURE_AUTHORITY_HOST", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("AZURE_FEDERATED_TOKEN_FILE", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_AllSet_ParsesPortAndDisablesDiscoveryForNonPublicAuthority()
    {
        var options = ProxyOptions.Load(["--proxy-port", "9000"], Env(new()
        {
            ["AZURE_TENANT_ID"] = "t", ["AZURE_AUTHORITY_HOST"] = "https://127.0.0.1:5443", ["AZURE_FEDERATED_TOKEN_FILE"] = "/f", ["AZURE_CLIENT_ID"] = "c",
        }));
        Assert.Equal(9000, options.Port);
        Assert.Equal("c", options.DefaultClientId);
        Assert.Equal("https://127.0.0.1:5443/", options.AuthorityHost.ToString());
        Assert.True(options.DisableInstanceDiscovery);
    }

    [Fact]
    public void Load_PublicAuthority_KeepsInstanceDiscovery()
    {
        var options = ProxyOptions.Load([], Env(new()
        {
            ["AZURE_TENANT_ID"] = "t", ["AZURE_AUTHORITY_HOST"] = "https://login.microsoftonline.com/", ["AZURE_FEDERATED_TOKEN_FILE"] = "/f",
        }));
        Assert.Equal(8000, options.Port);
        Assert.False(options.DisableInstanceDiscovery);
    }

    [Fact]
    public void Load_BadPort_Refused()
    {
        var ex = Assert.Throws<ProxyOptionsException>(() => ProxyOptions.Load(["--proxy-port=abc"], Env(new()
        {
            ["AZURE_TENANT_ID"] = "t", ["AZURE_AUTHORITY_HOST"] = "https://login.microsoftonline.com/", ["AZURE_FEDERATED_TOKEN_FILE"] = "/f",
        })));
        Assert.Contains(ex.Errors, e => e.Contains("--proxy-port", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new string[0], Microsoft.Extensions.Logging.LogLevel.Information)]
    [InlineData(new[] { "--log-level", "debug" }, Microsoft.Extensions.Logging.LogLevel.Debug)]
    [InlineData(new[] { "--log-level=all" }, Microsoft.Extensions.Logging.LogLevel.Trace)]
    [InlineData(new[] { "--log-level=WARNING" }, Microsoft.Extensions.Logging.LogLevel.Warning)]
    public void Load_LogLevel_ParsesTheWebhookNames(string[] args, Microsoft.Extensions.Logging.LogLevel expected)
    {
        var options = ProxyOptions.Load(args, Env(new()
        {
            ["AZURE_TENANT_ID"] = "t", ["AZURE_AUTHORITY_HOST"] = "https://login.microsoftonline.com/", ["AZURE_FEDERATED_TOKEN_FILE"] = "/f",
        }));
        Assert.Equal(expected, options.LogLevel);
    }

    [Fact]
    public void Load_UnknownLogLevel_RefusedNamingTheValues()
    {
        var ex = Assert.Throws<ProxyOptionsException>(() => ProxyOptions.Load(["--log-level=loud"], Env(new()
        {
            ["AZURE_TENANT_ID"] = "t", ["AZURE_AUTHORITY_HOST"] = "https://login.microsoftonline.com/", ["AZURE_FEDERATED_TOKEN_FILE"] = "/f",
        })));
        Assert.Contains(ex.Errors, e => e.Contains("--log-level 'loud'", StringComparison.Ordinal) && e.Contains("debug", StringComparison.Ordinal));
    }
}
