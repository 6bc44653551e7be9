using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// Small steps of the forward-only pass over a request (<see cref="Utf8JsonReader"/> over the whole body, so
/// <see cref="Utf8JsonReader.Skip"/> always succeeds). Methods named after a value start at that value's property name
/// and leave the reader on the value's last token.
/// </summary>
internal static class JsonRead
{
    /// <summary>The JSON kind of a value starting with <paramref name="token"/>.</summary>
    public static JsonValueKind KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.String => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        JsonTokenType.Null => JsonValueKind.Null,
        _ => JsonValueKind.Undefined,
    };

    /// <summary>
    /// True when the value under the reader starts with <paramref name="start"/> (an object or an array to read
    /// member by member); any other value is skipped whole and false returned.
    /// </summary>
    public static bool Enter(ref Utf8JsonReader reader, JsonTokenType start)
    {
        if (reader.TokenType == start)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>Moves to the next property name of the object being read; false at the object's end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    /// <summary>Moves to the first token of the next element of the array being read; false at the array's end.</summary>
    public static bool NextElement(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType != JsonTokenType.EndArray;

    /// <summary>The value when it is a string (one of <paramref name="known"/>'s instances when it is one), else null (the value skipped).</summary>
    public static string? String(ref Utf8JsonReader reader, KnownStrings? known = null)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return Text(ref reader, known);
        }

        reader.Skip();
        return null;
    }

    /// <summary>True when the value is a string equal to <paramref name="expected"/> (nothing allocated).</summary>
    public static bool StringEquals(ref Utf8JsonReader reader, ReadOnlySpan<byte> expected)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.ValueTextEquals(expected);
        }

        reader.Skip();
        return false;
    }

    /// <summary>Skips the value.</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    /// <summary>
    /// The value's kind and, when it is a string, its text (one of <paramref name="known"/>'s instances when it is one);
    /// every other value is skipped.
    /// </summary>
    public static JsonField Field(ref Utf8JsonReader reader, KnownStrings? known = null)
    {
        reader.Read();
        var kind = KindOf(reader.TokenType);
        if (kind == JsonValueKind.String)
        {
            return new JsonField(kind, Text(ref reader, known));
        }

        reader.Skip();
        return new JsonField(kind, null);
    }

    // The string token under the reader, as one of known's instances when it is one.
    private static string Text(ref Utf8JsonReader reader, KnownStrings? known) => known is null ? reader.GetString()! : known.Get(ref reader);
}
