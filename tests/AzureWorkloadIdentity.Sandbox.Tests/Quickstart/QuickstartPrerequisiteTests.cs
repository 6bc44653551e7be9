using System.Diagnostics;

namespace AzureWorkloadIdentity.Sandbox.Tests.Quickstart;

/// <summary>
/// The README's main command on a machine without what a sample needs: the quick start stops at once, in one line
/// that names the missing piece and the command that installs it, before it creates anything.
/// </summary>
public sealed class QuickstartPrerequisiteTests
{
    [Theory(Timeout = 120_000)]
    [InlineData("msal-node")]
    [InlineData("azure-identity-js")]
    public async Task Quickstart_NodeSampleWithoutNode_FailsInOneLineNamingTheInstallCommand(string sample)
    {
        // A PATH with only the .NET host on it: no node, as on a machine where scripts/install-prereqs.sh never ran.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? Environment.ProcessPath!;
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["PATH"] = Path.GetDirectoryName(dotnet)!,
                ["AZWI_SANDBOX_CONTAINER_RUNTIME"] = "process",
            },
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AzureWorkloadIdentity.Sandbox.dll"));
        start.ArgumentList.Add("quickstart");
        start.ArgumentList.Add("--sample");
        start.ArgumentList.Add(sample);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = (await output + await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal(1, process.ExitCode);
        var failure = Assert.Single(lines, line => line.StartsWith("Quick start failed:", StringComparison.Ordinal));
        Assert.Contains($"the {sample} sample needs Node.js", failure, StringComparison.Ordinal);
        Assert.EndsWith("run: bash scripts/install-prereqs.sh", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, line => line.StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.StartsWith("✓", StringComparison.Ordinal) || line.Contains("created", StringComparison.OrdinalIgnoreCase));
    }
}
