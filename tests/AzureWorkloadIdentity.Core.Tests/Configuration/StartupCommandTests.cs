using System.Text.Json;
using AzureWorkloadIdentity.Core.Configuration;
using Microsoft.Extensions.Options;

namespace AzureWorkloadIdentity.Core.Tests.Configuration;

public sealed class StartupCommandTests
{
    private static readonly SettingTable Table = new("tool", "A tool.", [Setting.Flag("port", "S:Port", "1", "port", SettingType.Integer)]);

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_Version_OneJsonLineWithoutRunning()
    {
        var (code, output, error, ran) = await RunAsync(["--version"], () => throw new StartupException("tool", ["must not run"]));

        Assert.Equal(0, code);
        Assert.False(ran);
        Assert.Empty(error);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal(["buildVersion", "gitCommit", "buildDate", "runtimeVersion", "platform"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("v0.1.0", json.RootElement.GetProperty("buildVersion").GetString());
        Assert.Matches("^([0-9a-f]{40}|unknown)$", json.RootElement.GetProperty("gitCommit").GetString());
        Assert.Matches(@"^(\d{4}-\d\d-\d\dT\d\d:\d\dZ|unknown)$", json.RootElement.GetProperty("buildDate").GetString());
        Assert.StartsWith(".NET ", json.RootElement.GetProperty("runtimeVersion").GetString(), StringComparison.Ordinal);
        Assert.Equal("linux/amd64", json.RootElement.GetProperty("platform").GetString());
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_Help_PrintsTheTableAndExitsZero()
    {
        var (code, output, _, ran) = await RunAsync(["-h"], () => Task.FromResult(1));

        Assert.Equal(0, code);
        Assert.False(ran);
        Assert.Equal(Table.HelpText(), output);
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_StartupProblems_OneReportOnStandardErrorExitTwo()
    {
        var (code, output, error, _) = await RunAsync([], () => throw new StartupException("tool", ["A is wrong", "B is wrong"]));

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal("the tool cannot start:\n  - A is wrong\n  - B is wrong\n", error.ReplaceLineEndings("\n"));
    }

    [Fact(Timeout = 10_000)]
    public async Task RunAsync_ValidateOnStartFailures_SameReport()
    {
        var failures = new AggregateException(
            new OptionsValidationException("x", typeof(object), ["X is wrong"]),
            new OptionsValidationException("y", typeof(object), ["Y is wrong", "Z is wrong"]));

        var (code, _, error, _) = await RunAsync([], () => throw failures);

        Assert.Equal(2, code);
        Assert.Equal("the tool cannot start:\n  - X is wrong\n  - Y is wrong\n  - Z is wrong\n", error.ReplaceLineEndings("\n"));
    }

    private static async Task<(int Code, string Output, string Error, bool Ran)> RunAsync(string[] args, Func<Task<int>> run)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var ran = false;
        var code = await StartupCommand.RunAsync(Table, args, () => { ran = true; return run(); }, output, error);
        return (code, output.ToString(), error.ToString(), ran);
    }
}
