using System.Diagnostics;
using System.Globalization;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// SIGTERM for a local process: .NET's <see cref="Process.Kill()"/> only sends SIGKILL, and a graceful stop must let
/// the program run its shutdown first. <c>kill -TERM</c> (procps, on every Debian) sends it.
/// </summary>
internal static class Signals
{
    /// <summary>Sends SIGTERM to <paramref name="pid"/>; false when it could not be sent (the process is gone, no <c>kill</c>).</summary>
    public static async Task<bool> TerminateAsync(int pid)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-TERM");
        start.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        try
        {
            using var kill = Process.Start(start);
            if (kill is null)
            {
                return false;
            }

            await kill.WaitForExitAsync(CancellationToken.None);
            return kill.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
