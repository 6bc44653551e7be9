using System.IO.Pipelines;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming.Spdy;

/// <summary>
/// One stream the peer opened on a <see cref="SpdyConnection"/>: its headers, what the peer sends on it (ending at
/// the peer's FIN), and our side, which <see cref="CloseAsync"/> half-closes with a FIN as spdystream expects.
/// </summary>
internal sealed class SpdyStream
{
    private readonly SpdyConnection _connection;
    private readonly Pipe _incoming = new();
    private int _closed;

    public SpdyStream(SpdyConnection connection, uint id, IReadOnlyDictionary<string, string> headers)
    {
        _connection = connection;
        Id = id;
        Headers = headers;
        Input = _incoming.Reader.AsStream();
    }

    public uint Id { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The data the peer sends; it ends when the peer half-closes the stream (or resets it: an error).</summary>
    public Stream Input { get; }

    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _connection.SendDataAsync(Id, data, fin: false, cancellationToken);

    /// <summary>Half-closes our side: the peer reads the end of the stream.</summary>
    public Task CloseAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _closed, 1) == 0
            ? _connection.SendDataAsync(Id, ReadOnlyMemory<byte>.Empty, fin: true, cancellationToken)
            : Task.CompletedTask;

    internal async Task ReceiveAsync(ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellationToken)
    {
        if (data.Length > 0)
        {
            await _incoming.Writer.WriteAsync(data, cancellationToken);
        }

        if (fin)
        {
            await _incoming.Writer.CompleteAsync();
        }
    }

    internal Task ResetAsync() => _incoming.Writer.CompleteAsync(new IOException($"the peer reset SPDY stream {Id}")).AsTask();
}
