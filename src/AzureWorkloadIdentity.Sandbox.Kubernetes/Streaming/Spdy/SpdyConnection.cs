using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming.Spdy;

/// <summary>
/// The server side of a SPDY/3.1 connection as Kubernetes' streaming protocols use it (moby/spdystream on the
/// client): the client opens streams with SYN_STREAM and their headers, each is accepted with an empty SYN_REPLY and
/// handed to the caller; DATA frames carry each stream's bytes, a FIN half-closes it, RST_STREAM resets it; PINGs are
/// echoed; GOAWAY or the end of the transport ends the connection. Flow control is not used (spdystream sends no
/// WINDOW_UPDATE). Frames: an 8-byte header — control bit, version 3, type, flags, 24-bit length — then the payload.
/// </summary>
internal sealed class SpdyConnection(Stream transport) : IDisposable
{
    private const int HeaderLength = 8;
    private const int MaxDataFrame = 32 * 1024;
    private const ushort SynStream = 1;
    private const ushort SynReply = 2;
    private const ushort RstStream = 3;
    private const ushort Ping = 6;
    private const ushort GoAway = 7;
    private const ushort HeadersFrame = 8;
    private const byte FlagFin = 1;

    private readonly SpdyHeaderCompression _headers = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly ConcurrentDictionary<uint, SpdyStream> _streams = new();

    /// <summary>Reads frames until the client goes away, calling <paramref name="accepted"/> for each new stream.</summary>
    public async Task RunAsync(Action<SpdyStream> accepted, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        try
        {
            while (await ReadFullyAsync(header, cancellationToken))
            {
                var length = (header[5] << 16) | (header[6] << 8) | header[7];
                var payload = new byte[length];
                if (!await ReadFullyAsync(payload, cancellationToken))
                {
                    return;
                }

                var flags = header[4];
                if ((header[0] & 0x80) == 0)
                {
                    var id = BinaryPrimitives.ReadUInt32BigEndian(header) & 0x7fffffff;
                    if (_streams.TryGetValue(id, out var target))
                    {
                        await target.ReceiveAsync(payload, (flags & FlagFin) != 0, cancellationToken);
                    }

                    continue;
                }

                if (!await OnControlFrameAsync(BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)), flags, payload, accepted, cancellationToken))
                {
                    return;
                }
            }
        }
        finally
        {
            foreach (var stream in _streams.Values)
            {
                await stream.ResetAsync();
            }
        }
    }

    /// <summary>Handles one control frame; false when the client has said goodbye.</summary>
    private async Task<bool> OnControlFrameAsync(ushort type, byte flags, byte[] payload, Action<SpdyStream> accepted, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case SynStream when payload.Length >= 10:
                var id = BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fffffff;
                var stream = new SpdyStream(this, id, _headers.Decode(payload.AsSpan(10)));
                _streams[id] = stream;
                await SendReplyAsync(id, cancellationToken);
                if ((flags & FlagFin) != 0)
                {
                    await stream.ReceiveAsync(ReadOnlyMemory<byte>.Empty, fin: true, cancellationToken);
                }

                accepted(stream);
                return true;
            case SynReply or HeadersFrame when payload.Length >= 4:
                // Decoded only to keep the header compression context in step with the peer's.
                _headers.Decode(payload.AsSpan(4));
                return true;
            case RstStream when payload.Length >= 4:
                if (_streams.TryRemove(BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7fffffff, out var reset))
                {
                    await reset.ResetAsync();
                }

                return true;
            case Ping:
                await SendControlAsync(Ping, 0, payload, cancellationToken);
                return true;
            case GoAway:
                return false;
            default:
                // SETTINGS, WINDOW_UPDATE and anything newer: nothing to do.
                return true;
        }
    }

    private Task SendReplyAsync(uint id, CancellationToken cancellationToken)
    {
        var block = _headers.Encode(new Dictionary<string, string>());
        var payload = new byte[4 + block.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, id);
        block.CopyTo(payload, 4);
        return SendControlAsync(SynReply, 0, payload, cancellationToken);
    }

    private Task SendControlAsync(ushort type, byte flags, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        BinaryPrimitives.WriteUInt16BigEndian(header, 0x8003);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), type);
        WriteFlagsAndLength(header, flags, payload.Length);
        return SendFrameAsync(header, payload, cancellationToken);
    }

    /// <summary>Sends data on a stream in frames of at most 32 KiB; with <paramref name="fin"/> the last one half-closes it.</summary>
    public async Task SendDataAsync(uint id, ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellationToken)
    {
        do
        {
            var chunk = data[..Math.Min(data.Length, MaxDataFrame)];
            data = data[chunk.Length..];
            var header = new byte[HeaderLength];
            BinaryPrimitives.WriteUInt32BigEndian(header, id & 0x7fffffff);
            WriteFlagsAndLength(header, fin && data.IsEmpty ? FlagFin : (byte)0, chunk.Length);
            await SendFrameAsync(header, chunk, cancellationToken);
        }
        while (!data.IsEmpty);
    }

    private static void WriteFlagsAndLength(byte[] header, byte flags, int length)
    {
        header[4] = flags;
        header[5] = (byte)(length >> 16);
        header[6] = (byte)(length >> 8);
        header[7] = (byte)length;
    }

    private async Task SendFrameAsync(byte[] header, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await transport.WriteAsync((byte[])[.. header, .. payload.Span], cancellationToken);
            await transport.FlushAsync(cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task<bool> ReadFullyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var count = await transport.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (count == 0)
            {
                return false;
            }

            read += count;
        }

        return true;
    }

    public void Dispose()
    {
        _headers.Dispose();
        _writing.Dispose();
    }
}
