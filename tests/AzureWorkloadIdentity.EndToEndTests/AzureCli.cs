using System.Diagnostics;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// The real Azure CLI (<c>az</c>, Debian's azure-cli, installed by scripts/install-prereqs.sh) run as a user types it,
/// with a configuration folder of its own so nothing of the machine's <c>az</c> sign-in is read or changed.
/// </summary>
public static class AzureCli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        IReadOnlyDictionary<string, string> environment, string configDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("az") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AZURE_CONFIG_DIR"] = configDirectory;
        start.Environment["AZURE_CORE_COLLECT_TELEMETRY"] = "false";
        start.Environment["AZURE_CORE_NO_COLOR"] = "true";
        start.Environment["AZURE_CORE_ONLY_SHOW_ERRORS"] = "true";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("the Azure CLI (az) is not installed: run `bash scripts/install-prereqs.sh` (apt-get install -y azure-cli)", ex);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"az {string.Join(' ', args)} did not exit within 120 s");
            }

            return (process.ExitCode, await output, await error);
        }
    }
}
