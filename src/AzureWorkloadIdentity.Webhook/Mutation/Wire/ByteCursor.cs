using System.Text;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// Writes UTF-8 pieces one after another into a span sized beforehand, for JSON assembled from values that are
/// already serialised (the caller computes the exact length, so nothing grows or is copied twice).
/// </summary>
public ref struct ByteCursor(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;

    /// <summary>How many bytes are written so far.</summary>
    public int Position { get; private set; }

    public void Write(byte value) => _destination[Position++] = value;

    public void Write(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_destination[Position..]);
        Position += value.Length;
    }

    /// <summary>Writes text known to be ASCII (one byte a character).</summary>
    public void WriteAscii(string text) => Position += Encoding.ASCII.GetBytes(text, _destination[Position..]);
}
