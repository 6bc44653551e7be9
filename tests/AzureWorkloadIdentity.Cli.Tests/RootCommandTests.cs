namespace AzureWorkloadIdentity.Cli.Tests;

public sealed class RootCommandTests
{
    [Fact(Timeout = 60_000)]
    public async Task Invoke_NoArguments_PrintsUsageAndSucceeds()
    {
        var run = await CliRunner.RunAsync();

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
        Assert.Contains("jwks", run.Out, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Invoke_UnknownFlag_OneErrorLineNamingTheFlagAndHelp()
    {
        var run = await CliRunner.RunAsync("jwks", "--no-such-flag");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: ", line, StringComparison.Ordinal);
        Assert.Contains("--no-such-flag", line, StringComparison.Ordinal);
        Assert.Contains("azwi jwks --help", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact(Timeout = 60_000)]
    public async Task Invoke_UnknownCommand_ExitsOneWithoutStackTrace()
    {
        var run = await CliRunner.RunAsync("no-such-command");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }
}
