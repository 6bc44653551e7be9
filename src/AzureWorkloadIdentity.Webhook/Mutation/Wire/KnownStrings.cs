using System.Text;
using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// The few values a member almost always holds (an apiVersion, a kind, an operation, a label's <c>true</c>): a string
/// value equal to one of them is answered with the one instance made at start-up instead of a new string per
/// admission. The comparison is <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/>, so escaped text
/// matches as it would after decoding.
/// </summary>
internal sealed class KnownStrings
{
    private readonly string[] _values;
    private readonly byte[][] _utf8;

    public KnownStrings(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values;
        _utf8 = [.. values.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>The string under the reader (a <see cref="JsonTokenType.String"/>): a known instance when it is one.</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < _utf8.Length; i++)
        {
            if (reader.ValueTextEquals(_utf8[i]))
            {
                return _values[i];
            }
        }

        return reader.GetString()!;
    }
}
