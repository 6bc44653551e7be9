using System.Diagnostics;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// A local program the sandbox runs — a container started by <see cref="LocalContainerRunner"/>, the webhook, a
/// network command: its log as it is written, its end (bounded), and a stop on dispose (as the kubelet kills a pod's
/// containers when the pod goes).
/// </summary>
public sealed class LocalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private int _openStreams = 2;
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();

    internal LocalProcess(string name, ProcessStartInfo start, IEnumerable<string> preamble)
    {
        Name = name;
        foreach (var line in preamble)
        {
            Output.Append(line);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        try
        {
            _process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            _process.Dispose();
            throw new InvalidOperationException(
                $"cannot start {start.FileName} for {name}: {e.Message}; install it (scripts/install-prereqs.sh installs what the sandbox needs)", e);
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    /// <summary>
    /// Runs before the process is killed: a container's process is only podman's client, and killing it leaves the
    /// container running, so the container runtime removes the container here first, given the grace period of a
    /// graceful stop (null: a prompt one).
    /// </summary>
    internal Func<TimeSpan?, Task>? BeforeStop { get; init; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process has ended (137 when it was killed).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output and error so far, interleaved as written (like <c>kubectl logs</c>).</summary>
    public IReadOnlyList<string> Log => Output.Lines;

    /// <summary>The same lines with their times; it ends when both output streams have closed.</summary>
    public ContainerLog Output { get; } = new();

    /// <summary>Completes when the process has ended, without stopping it (a sidecar is stopped by disposing).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Waits for the process to end; past <paramref name="timeout"/> it is killed and reported with exit code 137.</summary>
    public async Task<ContainerRun> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(bounded.Token);
            // The asynchronous readers may still hold the last lines; this overload waits for them.
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            await StopAsync();
            Append($"[kubelet] container \"{Name}\" did not finish within {timeout.TotalSeconds:0} s and was stopped");
            cancellationToken.ThrowIfCancellationRequested();
            return new ContainerRun(Name, 137, Log, _stopwatch.Elapsed);
        }

        return new ContainerRun(Name, _process.ExitCode, Log, _stopwatch.Elapsed);
    }

    /// <summary>
    /// Stops the process as the kubelet stops a container of a pod being deleted: SIGTERM, then SIGKILL once
    /// <paramref name="grace"/> has passed without it ending.
    /// </summary>
    public Task StopAsync(TimeSpan grace) => StopAsync((TimeSpan?)grace);

    private async Task StopAsync(TimeSpan? grace = null)
    {
        if (BeforeStop is { } beforeStop)
        {
            await beforeStop(grace);
        }

        if (!_process.HasExited && grace > TimeSpan.Zero && await Signals.TerminateAsync(_process.Id))
        {
            using var bounded = new CancellationTokenSource(grace.Value);
            await _process.WaitForExitAsync(bounded.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            Output.Append(line);
        }
        else if (Interlocked.Decrement(ref _openStreams) == 0)
        {
            Output.End();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
