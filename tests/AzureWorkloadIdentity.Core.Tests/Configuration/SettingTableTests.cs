using AzureWorkloadIdentity.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace AzureWorkloadIdentity.Core.Tests.Configuration;

public sealed class SettingTableTests
{
    private static readonly SettingTable Table = new("tool", "A tool.",
    [
        Setting.Flag("port", "S:Port", "9443", "port", SettingType.Integer),
        Setting.Switch("quiet", "S:Quiet", "quiet"),
        Setting.Variable("TENANT", "", "tenant", key: "S:Tenant"),
        Setting.Variable("S__Timeout", "00:00:03", "timeout", SettingType.TimeSpan),
    ]);

    [Fact]
    public void Apply_AliasFlagsAndEnvironment_FlagsWinAndAliasesDoNotOverrideTheSection()
    {
        var configuration = Configuration(("TENANT", "from-alias"), ("S:Port", "1"), ("S:Timeout", "00:00:05"));

        var problems = Table.Apply(configuration, ["--port=2"]);

        Assert.Empty(problems);
        Assert.Equal("2", configuration["S:Port"]);
        Assert.Equal("from-alias", configuration["S:Tenant"]);
        Assert.Equal("00:00:05", configuration["S:Timeout"]);

        var explicitSection = Configuration(("TENANT", "from-alias"), ("S:Tenant", "explicit"));
        Table.Apply(explicitSection, []);
        Assert.Equal("explicit", explicitSection["S:Tenant"]);
    }

    [Fact]
    public void Apply_ValuesThatDoNotParse_ReportedByTheNameGivenAndHiddenFromTheBinder()
    {
        var configuration = Configuration(("S:Timeout", "ten-years"), ("S:Quiet", "maybe"));

        var problems = Table.Apply(configuration, ["--port", "abc", "--bogus"]);

        Assert.Equal(
            [
                "unknown flag \"--bogus\"; known flags: --port, --quiet (see --help)",
                "--port \"abc\" is not a whole number",
                "--quiet \"maybe\" is not true or false",
                "S__Timeout \"ten-years\" is not a time span such as 00:00:03 ([d.]hh:mm:ss[.fff])",
            ],
            problems);
        Assert.Null(configuration["S:Port"]);
        Assert.Null(configuration["S:Timeout"]);
    }

    [Fact]
    public void HelpText_ListsEveryFlagAndVariableWithItsDefault()
    {
        var help = Table.HelpText();

        Assert.StartsWith("Usage: tool [flags]\n", help, StringComparison.Ordinal);
        Assert.Matches(@"\n  --port value +port \(default 9443\)\n", help);
        Assert.Matches(@"\n  --quiet +quiet \(default false\)\n", help);
        Assert.Matches(@"\n  --version +print the build as one JSON line and exit\n", help);
        Assert.Matches(@"\n  TENANT +tenant\n", help);
        Assert.Matches(@"\n  S__Timeout +timeout \(default 00:00:03\)\n", help);
    }

    private static ConfigurationManager Configuration(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)));
        return configuration;
    }
}
