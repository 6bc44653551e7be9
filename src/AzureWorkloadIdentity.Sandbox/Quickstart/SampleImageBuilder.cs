using System.Diagnostics;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubelet.Containers;

namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>
/// With containers, the quick start runs the sample's image from the local store; the first run on a machine builds
/// it (scripts/build-images.sh, its output shown as it goes), later runs find it there.
/// </summary>
internal static class SampleImageBuilder
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Builds <paramref name="image"/> with <c>bash scripts/build-images.sh &lt;sample&gt;</c> when the store lacks it.</summary>
    /// <returns>True when it had to be built.</returns>
    /// <exception cref="InvalidOperationException">The build failed; the message names the command to run.</exception>
    public static async Task<bool> EnsureBuiltAsync(string image, string sample, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        if ((await Podman.RunAsync(["image", "exists", image], cancellationToken)).ExitCode == 0)
        {
            return false;
        }

        var command = $"{PodmanContainerRunner.BuildCommand} {sample}";
        output.WriteLine($"Image {image} is not in the local store yet: building it once ({command}); later runs reuse it ...");
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepositoryPrograms.RepositoryDirectory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine("scripts", "build-images.sh"));
        start.ArgumentList.Add(sample);
        using var process = new Process { StartInfo = start };
        var gate = new Lock();
        DataReceivedEventHandler print = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (gate)
                {
                    output.WriteLine("      | " + e.Data);
                }
            }
        };
        process.OutputDataReceived += print;
        process.ErrorDataReceived += print;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(BuildTimeout);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode == 0
            ? true
            : throw new InvalidOperationException($"building image {image} failed with exit code {process.ExitCode} (its output is above); fix it and run: {command}");
    }
}
