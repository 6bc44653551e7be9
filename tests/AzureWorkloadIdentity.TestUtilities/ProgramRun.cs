using System.Diagnostics;
using System.Text.Json;
using AzureWorkloadIdentity.Core.Configuration;
using Xunit;

namespace AzureWorkloadIdentity.TestUtilities;

/// <summary>
/// Runs a built program (<c>dotnet &lt;program&gt;.dll</c>) to its end, as a user would: the real entry point, its
/// exit code and both output streams. The settings of <c>table</c> are removed from the inherited
/// environment so only <c>environment</c> sets them.
/// </summary>
public sealed record ProgramRun(int ExitCode, string Output, string Error)
{
    /// <summary>Refused at start: exit 2, nothing on stdout, the report with exactly one problem starting with <paramref name="expected"/>, no stack trace.</summary>
    public void AssertRefused(string program, string expected)
    {
        Assert.Equal(StartupCommand.InvalidConfiguration, ExitCode);
        Assert.Empty(Output);
        Assert.Equal($"the {program} cannot start:", ErrorLines[0]);
        Assert.StartsWith("- " + expected, Assert.Single(ErrorLines.Skip(1)), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Error, StringComparison.Ordinal);
    }

    /// <summary>Answered <c>--version</c>: exit 0, one JSON line with the original's fields, each non-empty.</summary>
    public void AssertVersion()
    {
        Assert.Equal(0, ExitCode);
        Assert.Empty(Error);
        using var json = JsonDocument.Parse(Assert.Single(Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(["buildVersion", "gitCommit", "buildDate", "runtimeVersion", "platform"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.All(json.RootElement.EnumerateObject(), p => Assert.False(string.IsNullOrEmpty(p.Value.GetString())));
    }

    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static async Task<ProgramRun> RunAsync(
        string assembly, SettingTable table, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assembly);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in table.Variables)
        {
            start.Environment.Remove(variable.Name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(assembly)} {string.Join(' ', args)} did not exit within 60 s (it should fail or answer at once)");
        }

        return new ProgramRun(process.ExitCode, await output, await error);
    }
}
