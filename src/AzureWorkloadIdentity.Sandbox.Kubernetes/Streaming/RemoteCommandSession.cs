using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>
/// One <c>kubectl exec</c> over the Kubernetes channel protocol on a WebSocket (<c>v4.channel.k8s.io</c>,
/// <c>v5.channel.k8s.io</c>): every binary message starts with its channel — 0 stdin, 1 stdout, 2 stderr, 3 error,
/// 4 resize — and v5 adds 255, a half-close of the channel named by the next byte (kubectl's end of stdin). The
/// command's end is a <c>Status</c> on the error channel (<c>NonZeroExitCode</c> with an <c>ExitCode</c> cause
/// carries the exit code kubectl exits with), then a normal close.
/// </summary>
internal sealed class RemoteCommandSession(WebSocket socket, bool closeSignal)
{
    private const byte Stdin = 0;
    private const byte Stdout = 1;
    private const byte Stderr = 2;
    private const byte Error = 3;
    private const byte Close = 255;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _sending = new(1, 1);

    public async Task RunAsync(Func<Task<IContainerExec>> start, IReadOnlyList<string> command, bool stdout, bool stderr, CancellationToken cancellationToken)
    {
        IContainerExec exec;
        try
        {
            exec = await start();
        }
        catch (KubernetesApiException e)
        {
            await SendStatusAsync(Failure(e.Message, e.Reason), cancellationToken);
            await CloseAsync(Task.CompletedTask, cancellationToken);
            return;
        }

        await using (exec)
        {
            var input = ReadInputAsync(exec.StandardInput, cancellationToken);
            var output = Task.WhenAll(
                PumpAsync(exec.StandardOutput, stdout ? Stdout : null, cancellationToken),
                PumpAsync(exec.StandardError, stderr ? Stderr : null, cancellationToken));
            var exitCode = await exec.WaitForExitAsync(cancellationToken);
            await output;
            await SendStatusAsync(exitCode == 0 ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" } : NonZeroExit(command, exitCode), cancellationToken);
            await CloseAsync(input, cancellationToken);
        }
    }

    private static JsonObject Failure(string message, string reason) => new()
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
    };

    private static JsonObject NonZeroExit(IReadOnlyList<string> command, int exitCode)
    {
        var status = Failure($"command terminated with non-zero exit code: command '{string.Join(' ', command)}' exited with {exitCode}", "NonZeroExitCode");
        status["details"] = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        };
        return status;
    }

    /// <summary>Copies the client's stdin messages to the command until the client closes stdin or the socket.</summary>
    private async Task ReadInputAsync(Stream? stdin, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                var bytes = message.GetBuffer().AsMemory(0, (int)message.Length);
                message.SetLength(0);
                if (bytes.Length == 0 || stdin is null)
                {
                    continue;
                }

                if (bytes.Span[0] == Stdin && bytes.Length > 1)
                {
                    await stdin.WriteAsync(bytes[1..], cancellationToken);
                    await stdin.FlushAsync(cancellationToken);
                }
                else if (closeSignal && bytes.Span[0] == Close && bytes.Length > 1 && bytes.Span[1] == Stdin)
                {
                    stdin.Close();
                    stdin = null;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the command no longer reads its input.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            stdin?.Close();
        }
    }

    /// <summary>Sends what the command writes on one channel; a channel the client did not ask for is drained.</summary>
    private async Task PumpAsync(Stream from, byte? channel, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        buffer[0] = channel ?? 0;
        int read;
        while ((read = await from.ReadAsync(buffer.AsMemory(1), cancellationToken)) > 0)
        {
            if (channel is not null)
            {
                await SendAsync(buffer.AsMemory(0, read + 1), cancellationToken);
            }
        }
    }

    private Task SendStatusAsync(JsonObject status, CancellationToken cancellationToken) =>
        SendAsync((byte[])[Error, .. System.Text.Encoding.UTF8.GetBytes(status.ToJsonString())], cancellationToken);

    private async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>A normal close, as kube-apiserver ends the stream; the client's answering close ends the input loop.</summary>
    private async Task CloseAsync(Task input, CancellationToken cancellationToken)
    {
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            await input.WaitAsync(CloseTimeout, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // The client has gone or does not answer the close; the connection ends with the request.
        }
    }
}
