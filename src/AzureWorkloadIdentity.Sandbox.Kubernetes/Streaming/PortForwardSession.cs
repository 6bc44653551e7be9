using System.Globalization;
using System.Net.Sockets;
using System.Text;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming.Spdy;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>
/// One <c>kubectl port-forward</c> connection, as the kubelet serves the <c>portforward.k8s.io</c> protocol: for each
/// local connection kubectl opens two SPDY streams with the same <c>requestID</c> and <c>port</c> headers — an
/// <c>error</c> stream, which stays empty unless forwarding fails, and a <c>data</c> stream, relayed to that port of
/// the pod. Both are closed when the pod's side of the connection ends.
/// </summary>
internal sealed class PortForwardSession(IKubeletStreams kubelet, string @namespace, string pod, CancellationToken cancellationToken)
{
    private readonly Dictionary<string, (SpdyStream? Error, SpdyStream? Data)> _pending = new(StringComparer.Ordinal);
    private readonly List<Task> _forwards = [];
    private readonly Lock _gate = new();

    public void Accept(SpdyStream stream)
    {
        var id = stream.Headers.GetValueOrDefault("requestid") ?? string.Empty;
        var type = stream.Headers.GetValueOrDefault("streamtype");
        lock (_gate)
        {
            var pair = _pending.GetValueOrDefault(id);
            pair = type == "error" ? pair with { Error = stream } : pair with { Data = stream };
            if (pair is { Error: { } error, Data: { } data })
            {
                _pending.Remove(id);
                _forwards.Add(ForwardAsync(error, data));
            }
            else
            {
                _pending[id] = pair;
            }
        }
    }

    /// <summary>Waits for the forwards in flight once the connection has ended (they end with it).</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_forwards).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task ForwardAsync(SpdyStream error, SpdyStream data)
    {
        var portText = data.Headers.GetValueOrDefault("port") ?? string.Empty;
        try
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new IOException($"\"{portText}\" is not a valid port");
            }

            await using var target = await kubelet.ConnectAsync(@namespace, pod, port, cancellationToken);
            var upstream = CopyUpAsync(data, target);
            var buffer = new byte[32 * 1024];
            int read;
            while ((read = await target.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await data.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await data.CloseAsync(cancellationToken);
            await error.CloseAsync(cancellationToken);
            await upstream.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (Exception e) when (e is IOException or SocketException or KubernetesApiException or TimeoutException)
        {
            var message = $"error forwarding port {portText} to pod {pod}: {e.Message}";
            await TryAsync(() => error.WriteAsync(Encoding.UTF8.GetBytes(message), cancellationToken));
            await TryAsync(() => data.CloseAsync(cancellationToken));
            await TryAsync(() => error.CloseAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    /// <summary>kubectl → pod; the end of kubectl's data is passed on as a half-close.</summary>
    private static async Task CopyUpAsync(SpdyStream data, Stream target)
    {
        try
        {
            await data.Input.CopyToAsync(target);
            (target as NetworkStream)?.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Either side ended first; the relay in the other direction decides what happens.
        }
    }

    private static async Task TryAsync(Func<Task> send)
    {
        try
        {
            await send();
        }
        catch (Exception e) when (e is IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is gone; nothing more can be said on it.
        }
    }
}
