using System.Diagnostics;
using AzureWorkloadIdentity.Sandbox.Commands;
using AzureWorkloadIdentity.Sandbox.Hosting;

namespace AzureWorkloadIdentity.Sandbox.Tests.Commands;

/// <summary><c>serve --print-env</c>'s lines: a shell's <c>eval</c> takes them and gets every value byte for byte.</summary>
public sealed class ServeEnvironmentTests
{
    [Fact]
    public void Quote_ValueWithSingleQuote_ShellWordGivesItBack()
    {
        Assert.Equal("'it'\\''s $HOME'", ServeEnvironment.Quote("it's $HOME"));
    }

    [Fact(Timeout = 60_000)]
    public async Task ExportLines_EvaluatedByBash_EveryVariableAsTheHostSaysAndTheSecretFromItsFile()
    {
        await using var host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero });
        var lines = ServeEnvironment.ExportLines(host);
        var names = host.Environment().Select(v => v.Key).ToList();
        var script = string.Join('\n', lines) + "\n" + string.Join('\n', names.Select(n => $"printf '%s=%s\\n' {n} \"${n}\""));

        var start = new ProcessStartInfo("bash", ["-c", "eval \"$(cat)\""]) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var bash = Process.Start(start)!;
        await bash.StandardInput.WriteAsync(script);
        bash.StandardInput.Close();
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();

        Assert.Equal(0, bash.ExitCode);
        Assert.DoesNotContain(lines, l => l.Contains(host.Operator.ClientSecret, StringComparison.Ordinal));
        Assert.Equal(
            host.Environment().Select(v => $"{v.Key}={v.Value}"),
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
