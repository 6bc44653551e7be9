using AzureWorkloadIdentity.Core.Configuration;

namespace AzureWorkloadIdentity.Core.Tests.Configuration;

public sealed class CommandLineTests
{
    private static readonly SettingTable Table = new("tool", "A tool.",
    [
        Setting.Flag("port", "S:Port", "9443", "port", SettingType.Integer),
        Setting.Flag("name", "S:Name", "", "name"),
        Setting.Switch("quiet", "S:Quiet", "quiet"),
        Setting.Variable("S__Timeout", "00:00:03", "timeout", SettingType.TimeSpan),
    ]);

    [Fact]
    public void Parse_GoStyleForms_MapToConfigurationKeysLastWins()
    {
        var commandLine = CommandLine.Parse(["-port=1", "--name", "a", "--quiet", "--port", "2", "-name=b"], Table);

        Assert.Empty(commandLine.Errors);
        Assert.Equal("2", commandLine.Values["S:Port"]);
        Assert.Equal("b", commandLine.Values["S:Name"]);
        Assert.Equal("true", commandLine.Values["S:Quiet"]);
        Assert.False(commandLine.Help || commandLine.Version);
    }

    [Fact]
    public void Parse_UnknownStrayAndMissingValue_EachAnError()
    {
        var commandLine = CommandLine.Parse(["--bogus", "stray", "--S__Timeout=1", "--port"], Table);

        Assert.Equal(
            [
                "unknown flag \"--bogus\"; known flags: --port, --name, --quiet (see --help)",
                "unexpected argument \"stray\"; flags look like --name=value (see --help)",
                "unknown flag \"--S__Timeout=1\"; known flags: --port, --name, --quiet (see --help)",
                "flag --port needs a value, e.g. --port=9443",
            ],
            commandLine.Errors);
    }

    [Theory]
    [InlineData("--help", true, false)]
    [InlineData("-h", true, false)]
    [InlineData("-help", true, false)]
    [InlineData("--version", false, true)]
    [InlineData("-version", false, true)]
    public void Parse_HelpAndVersion_Recognised(string argument, bool help, bool version)
    {
        var commandLine = CommandLine.Parse([argument, "--bogus"], Table);

        Assert.Equal(help, commandLine.Help);
        Assert.Equal(version, commandLine.Version);
    }
}
