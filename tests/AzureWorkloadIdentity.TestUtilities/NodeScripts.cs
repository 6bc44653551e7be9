using System.Diagnostics;
using Xunit;

namespace AzureWorkloadIdentity.TestUtilities;

/// <summary>
/// Runs small Node.js scripts that use the JavaScript Azure SDKs from npm: installs a folder's package.json once
/// (npm from Debian/npm must be on PATH) and runs <c>node</c> with a given environment, bounded in time.
/// </summary>
public static class NodeScripts
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    /// <summary>Runs <c>npm install</c> in <paramref name="directory"/> unless <paramref name="package"/> is already there.</summary>
    public static async Task EnsureInstalledAsync(string directory, string package)
    {
        await Install.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine([directory, "node_modules", .. package.Split('/')])))
            {
                return;
            }

            var (exitCode, output) = await RunAsync("npm", directory, ["install", "--no-audit", "--no-fund", "--loglevel=error"], new Dictionary<string, string>());
            Assert.True(exitCode == 0, $"npm install {package} failed (node and npm from Debian/npm are needed for this test):\n{output}");
        }
        finally
        {
            Install.Release();
        }
    }

    /// <summary>Runs a program in <paramref name="directory"/>; returns its exit code and its output and error together.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string program, string directory, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within 3 minutes:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
