using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Tests;

/// <summary>Runs the root command in-process with captured stdout and stderr.</summary>
internal static class CliRunner
{
    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(services => services, args);

    /// <summary>Runs with services a test adjusts (e.g. an HTTP handler that trusts a loopback server's CA).</summary>
    public static async Task<CliRun> RunAsync(Func<CliServices, CliServices> configure, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await CliApplication.InvokeAsync(args, configure(new CliServices(new CliConsole(output, error), TimeProvider.System)), timeout.Token);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}

internal sealed record CliRun(int ExitCode, string Out, string Error);
