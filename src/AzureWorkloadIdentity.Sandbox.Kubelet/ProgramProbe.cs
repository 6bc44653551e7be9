using System.Diagnostics;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>Runs a program once to see whether a prerequisite works (its exit code), quietly and bounded.</summary>
internal static class ProgramProbe
{
    /// <summary>The program's exit code, or -1 when it cannot start or runs past a minute.</summary>
    public static int ExitCode(string program, params IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                return -1;
            }

            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
