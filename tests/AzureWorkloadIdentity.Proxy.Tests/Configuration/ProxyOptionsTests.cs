using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.Proxy.Configuration;
using AzureWorkloadIdentity.TestUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AzureWorkloadIdentity.Proxy.Tests.Configuration;

public sealed class ProxyOptionsTests
{
    private static readonly Dictionary<string, string?> Required = new()
    {
        ["AZURE_TENANT_ID"] = "t",
        ["AZURE_AUTHORITY_HOST"] = "https://login.microsoftonline.com/",
        ["AZURE_FEDERATED_TOKEN_FILE"] = "/f",
    };

    [Fact]
    public void Load_NothingSet_NamesEveryMissingVariable()
    {
        var ex = Assert.Throws<StartupException>(() => Load([], []));
        Assert.Contains(ex.Problems, e => e.StartsWith("AZURE_TENANT_ID is not set", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, e => e.StartsWith("AZURE_AUTHORITY_HOST is not set", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, e => e.StartsWith("AZURE_FEDERATED_TOKEN_FILE is not set", StringComparison.Ordinal));
        Assert.Equal(3, ex.Problems.Count);
    }

    [Fact]
    public void Load_AllSet_ParsesPortAndDisablesDiscoveryForNonPublicAuthority()
    {
        var options = Load(["--proxy-port", "9000"], new()
        {
            ["AZURE_TENANT_ID"] = "t",
            ["AZURE_AUTHORITY_HOST"] = "https://127.0.0.1:5443",
            ["AZURE_FEDERATED_TOKEN_FILE"] = "/f",
            ["AZURE_CLIENT_ID"] = " c ",
        });
        Assert.Equal(9000, options.Port);
        Assert.Equal("c", options.DefaultClientId);
        Assert.Equal("https://127.0.0.1:5443/", options.AuthorityHost.ToString());
        Assert.True(options.DisableInstanceDiscovery);
    }

    [Fact]
    public void Load_PublicAuthority_KeepsInstanceDiscovery()
    {
        var options = Load([], Required);
        Assert.Equal(8000, options.Port);
        Assert.Null(options.DefaultClientId);
        Assert.False(options.DisableInstanceDiscovery);
    }

    [Theory]
    [InlineData("--proxy-port=abc", "--proxy-port \"abc\" is not a whole number")]
    [InlineData("--proxy-port=70000", "--proxy-port 70000 is not a TCP port (0-65535)")]
    [InlineData("--bogus", "unknown flag \"--bogus\"; known flags: --proxy-port, --log-level, --log-format, --probe (see --help)")]
    [InlineData("--log-format=xml", "--log-format \"xml\" is not supported; use text or json")]
    public void Load_BadFlag_Refused(string argument, string expected)
    {
        var ex = Assert.Throws<StartupException>(() => Load([argument], Required));
        Assert.Equal([expected], ex.Problems);
    }

    [Fact]
    public void Load_AuthorityNotAUrl_Refused()
    {
        var ex = Assert.Throws<StartupException>(() => Load([], new(Required) { ["AZURE_AUTHORITY_HOST"] = "login" }));
        Assert.Equal(["AZURE_AUTHORITY_HOST \"login\" is not an absolute https URL such as https://login.microsoftonline.com/"], ex.Problems);
    }

    [Fact]
    public void Load_Probe_NeedsOnlyThePort()
    {
        var options = Load(["--proxy-port=8123", "--probe"], []);
        Assert.True(options.Probe);
        Assert.Equal(8123, options.Port);
    }

    [Theory]
    [InlineData(new string[0], LogLevel.Information)]
    [InlineData(new[] { "--log-level", "debug" }, LogLevel.Debug)]
    [InlineData(new[] { "--log-level=all" }, LogLevel.Trace)]
    [InlineData(new[] { "--log-level=WARNING" }, LogLevel.Warning)]
    public void Load_LogLevel_ParsesTheWebhookNames(string[] args, LogLevel expected)
    {
        var options = Load(args, Required);
        Assert.Equal(expected, options.MinimumLevel);
    }

    [Fact]
    public void Load_UnknownLogLevel_RefusedNamingTheValues()
    {
        var ex = Assert.Throws<StartupException>(() => Load(["--log-level=loud"], Required));
        Assert.Contains(ex.Problems, e => e.Contains("--log-level \"loud\"", StringComparison.Ordinal) && e.Contains("debug", StringComparison.Ordinal));
    }

    [Fact]
    public void Docs_FlagAndEnvironmentTables_MatchTheParser() =>
        SettingsDocumentation.AssertDocuments(ProxySettings.Table, "proxy.md");

    private static ProxyOptions Load(string[] args, Dictionary<string, string?> environment)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(environment);
        return ProxyApplication.Load(configuration, args);
    }
}
