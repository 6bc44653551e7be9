using AzureWorkloadIdentity.Proxy.Configuration;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Proxy.Tests.Configuration;

/// <summary>The built <c>proxy</c> program, run as a user runs it: exit codes and what it prints.</summary>
public sealed class ProxyProgramTests
{
    // The program this project references is built into the test's own output folder (with its runtimeconfig and deps).
    private static readonly string ProxyAssembly = Path.Combine(AppContext.BaseDirectory, "proxy.dll");

    private static readonly Dictionary<string, string> Required = new()
    {
        ["AZURE_TENANT_ID"] = "t",
        ["AZURE_AUTHORITY_HOST"] = "https://login.microsoftonline.com/",
        ["AZURE_FEDERATED_TOKEN_FILE"] = "/f",
    };

    /// <summary>One bad value per kind of setting: flags and the environment the webhook injects.</summary>
    public static TheoryData<string[], Dictionary<string, string>, string> BadSettings => new()
    {
        { ["--bogus"], Required, "unknown flag \"--bogus\"" },
        { ["--proxy-port", "abc"], Required, "--proxy-port \"abc\" is not a whole number" },
        { ["--log-level=loud"], Required, "--log-level \"loud\" is not supported" },
        { [], new(Required) { ["AZURE_AUTHORITY_HOST"] = "login" }, "AZURE_AUTHORITY_HOST \"login\" is not an absolute https URL" },
        { [], new(Required) { ["AZURE_TENANT_ID"] = "" }, "AZURE_TENANT_ID is not set" },
    };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(BadSettings))]
    public async Task Main_BadSetting_ExitTwoWithOneLineNamingIt(string[] args, Dictionary<string, string> environment, string expected)
    {
        var run = await ProgramRun.RunAsync(ProxyAssembly, ProxySettings.Table, args, environment);

        run.AssertRefused("proxy", expected);
    }

    [Fact(Timeout = 120_000)]
    public async Task Main_Help_ListsEverySettingWithItsDefaultWithoutOtherSettings()
    {
        var run = await ProgramRun.RunAsync(ProxyAssembly, ProxySettings.Table, ["--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Equal(ProxySettings.Table.HelpText(), run.Output);
    }

    [Fact(Timeout = 120_000)]
    public async Task Main_Version_OneJsonLineWithoutOtherSettings()
    {
        var run = await ProgramRun.RunAsync(ProxyAssembly, ProxySettings.Table, ["-version"]);

        run.AssertVersion();
    }
}
