using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming.Spdy;

/// <summary>
/// The two zlib contexts of one SPDY/3 connection, one per direction, that header blocks (a count, then
/// length-prefixed names and NUL-separated values) go through. The peer compresses with the SPDY/3 preset
/// dictionary, which System.IO.Compression cannot take, so its blocks are inflated with SharpZipLib; ours are
/// deflated by System.IO.Compression without a dictionary (a zlib stream may leave it out: its header says so) and
/// sync-flushed so that each block can be read on its own.
/// </summary>
internal sealed class SpdyHeaderCompression : IDisposable
{
    private static readonly byte[] Dictionary = SpdyHeaderDictionary.V3.ToArray();

    private readonly Inflater _inflater = new();
    private readonly MemoryStream _compressed = new();
    private readonly ZLibStream _deflater;

    public SpdyHeaderCompression()
    {
        _deflater = new ZLibStream(_compressed, CompressionLevel.Fastest, leaveOpen: true);
    }

    /// <summary>Inflates one header block of the peer's and reads its names and values (values joined by NUL stay joined).</summary>
    /// <exception cref="InvalidDataException">The block is not a valid SPDY/3 header block.</exception>
    public Dictionary<string, string> Decode(ReadOnlySpan<byte> block)
    {
        var plain = Inflate(block);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        ReadOnlySpan<byte> span = plain;
        var count = ReadInt(ref span);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(ref span);
            headers[name] = ReadString(ref span);
        }

        return headers;
    }

    /// <summary>Compresses a header block of ours (names are sent in lower case, as SPDY/3 requires).</summary>
    public byte[] Encode(IReadOnlyDictionary<string, string> headers)
    {
        using var plain = new MemoryStream();
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, headers.Count);
        plain.Write(number);
        foreach (var (name, value) in headers)
        {
            foreach (var text in (string[])[name.ToLowerInvariant(), value])
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                BinaryPrimitives.WriteInt32BigEndian(number, bytes.Length);
                plain.Write(number);
                plain.Write(bytes);
            }
        }

        _compressed.SetLength(0);
        _deflater.Write(plain.GetBuffer(), 0, (int)plain.Length);
        _deflater.Flush();
        return _compressed.ToArray();
    }

    private byte[] Inflate(ReadOnlySpan<byte> block)
    {
        _inflater.SetInput(block.ToArray());
        using var plain = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = _inflater.Inflate(buffer);
                if (read > 0)
                {
                    plain.Write(buffer, 0, read);
                }
                else if (_inflater.IsNeedingDictionary)
                {
                    _inflater.SetDictionary(Dictionary);
                }
                else
                {
                    return plain.ToArray();
                }
            }
        }
        catch (ICSharpCode.SharpZipLib.SharpZipBaseException e)
        {
            throw new InvalidDataException("a SPDY header block is not valid zlib data: " + e.Message, e);
        }
    }

    private static int ReadInt(ref ReadOnlySpan<byte> span)
    {
        if (span.Length < 4)
        {
            throw new InvalidDataException("a SPDY header block ends early");
        }

        var value = BinaryPrimitives.ReadInt32BigEndian(span);
        span = span[4..];
        return value;
    }

    private static string ReadString(ref ReadOnlySpan<byte> span)
    {
        var length = ReadInt(ref span);
        if (length < 0 || length > span.Length)
        {
            throw new InvalidDataException("a SPDY header block has a string longer than the block");
        }

        var text = Encoding.UTF8.GetString(span[..length]);
        span = span[length..];
        return text;
    }

    public void Dispose()
    {
        _deflater.Dispose();
        _compressed.Dispose();
    }
}
