using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace AzureWorkloadIdentity.TestUtilities;

/// <summary>
/// A running <c>kubectl port-forward</c>: the local port it reports (<c>Forwarding from 127.0.0.1:N -&gt; M</c>) and
/// what it wrote to standard error; disposing stops it, as Ctrl-C would.
/// </summary>
public sealed partial class PortForwardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private readonly Task _errorRead;

    private PortForwardProcess(Process process)
    {
        _process = process;
        _errorRead = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_error)
                {
                    _error.AppendLine(line);
                }
            }
        });
    }

    public int LocalPort { get; private set; }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>
    /// Waits for a started <c>kubectl port-forward</c> (standard output and error redirected) to listen; fails with its
    /// output if it exits first.
    /// </summary>
    public static async Task<PortForwardProcess> StartAsync(Process process)
    {
        var forward = new PortForwardProcess(process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await forward._process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                forward.LocalPort = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                _ = forward._process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return forward;
            }
        }

        await forward._process.WaitForExitAsync(timeout.Token);
        await forward._errorRead.WaitAsync(timeout.Token);
        throw new InvalidOperationException($"kubectl port-forward exited with {forward._process.ExitCode} before listening: {forward.Error}");
    }

    public bool HasExited => _process.HasExited;

    /// <summary>One GET through the forwarded port on a new connection (no keep-alive): a new port-forward stream pair each time.</summary>
    /// <exception cref="HttpRequestException">kubectl or the pod closed the connection without an answer, or the answer is not a success.</exception>
    public async Task<string> GetAsync(string path)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{LocalPort}{path}");
        request.Headers.ConnectionClose = true;
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"^Forwarding from 127\.0\.0\.1:(?<port>[0-9]+) -> [0-9]+")]
    private static partial Regex Listening();
}
