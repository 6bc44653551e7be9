using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ZLogger;

namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>
/// <c>--log-format=text</c>: <c>2026-12-05T08:24:21.794Z info: Category[1001] message</c>, one line per event whatever
/// the message holds: line breaks in it (an annotation's value quoted in a warning, an exception's stack trace) become
/// spaces, so no value can start a line that reads as an event of its own.
/// </summary>
internal sealed class TextLogLineFormatter : IZLoggerFormatter
{
    private const string Timestamp = "yyyy-MM-ddTHH:mm:ss.fffZ";
    private static readonly SearchValues<byte> LineBreaks = SearchValues.Create("\r\n"u8);

    // One formatter serves one writer task: the message is made here first, then copied without its line breaks.
    private readonly ArrayBufferWriter<byte> _message = new(256);

    public bool WithLineBreak => true;

    public void FormatLogEntry(IBufferWriter<byte> writer, IZLoggerEntry entry)
    {
        var info = entry.LogInfo;
        var prefix = writer.GetSpan(64 + info.Category.Utf8Span.Length);
        info.Timestamp.Utc.TryFormat(prefix, out var written, Timestamp, CultureInfo.InvariantCulture);
        prefix[written++] = (byte)' ';
        written += Encoding.ASCII.GetBytes(LevelName(info.LogLevel), prefix[written..]);
        prefix[written++] = (byte)':';
        prefix[written++] = (byte)' ';
        info.Category.Utf8Span.CopyTo(prefix[written..]);
        written += info.Category.Utf8Span.Length;
        prefix[written++] = (byte)'[';
        info.EventId.Id.TryFormat(prefix[written..], out var digits, provider: CultureInfo.InvariantCulture);
        written += digits;
        prefix[written++] = (byte)']';
        prefix[written++] = (byte)' ';
        writer.Advance(written);

        _message.ResetWrittenCount();
        entry.ToString(_message);
        WriteOneLine(writer, _message.WrittenSpan);
        if (info.Exception is { } exception)
        {
            WriteOneLine(writer, " "u8);
            WriteOneLine(writer, Encoding.UTF8.GetBytes(exception.ToString()));
        }
    }

    /// <summary>Copies <paramref name="text"/> with CR and LF as spaces.</summary>
    internal static void WriteOneLine(IBufferWriter<byte> writer, ReadOnlySpan<byte> text)
    {
        var target = writer.GetSpan(text.Length)[..text.Length];
        text.CopyTo(target);
        target.ReplaceAny(LineBreaks, (byte)' ');
        writer.Advance(text.Length);
    }

    // The level names of the .NET console logger, which this format follows.
    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}

/// <summary>
/// <c>--log-format=json</c>: one object per line with the members of the .NET JSON console formatter (<c>Timestamp</c>,
/// <c>EventId</c>, <c>LogLevel</c>, <c>Category</c>, <c>Message</c>, <c>Exception</c>, and the event's named values in
/// <c>State</c>). Values are written by their type, anything else as its text: no serializer metadata is needed, so a
/// NativeAOT build writes every line.
/// </summary>
internal sealed class JsonLogLineFormatter : IZLoggerFormatter
{
    private const string OriginalFormat = "{OriginalFormat}";

    private readonly ArrayBufferWriter<byte> _message = new(256);
    private Utf8JsonWriter? _json;

    public bool WithLineBreak => true;

    public void FormatLogEntry(IBufferWriter<byte> writer, IZLoggerEntry entry)
    {
        var info = entry.LogInfo;
        // Log lines are not HTML: "+" and quotes in messages stay readable.
        var json = _json ??= new Utf8JsonWriter(writer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.Reset(writer);
        json.WriteStartObject();
        json.WriteString("Timestamp"u8, info.Timestamp.Utc);
        json.WriteNumber("EventId"u8, info.EventId.Id);
        json.WriteString("LogLevel"u8, info.LogLevel.ToString());
        json.WriteString("Category"u8, info.Category.Utf8Span);
        _message.ResetWrittenCount();
        entry.ToString(_message);
        json.WriteString("Message"u8, _message.WrittenSpan);
        if (info.Exception is { } exception)
        {
            json.WriteString("Exception"u8, exception.ToString());
        }

        json.WriteStartObject("State"u8);
        for (var i = 0; i < entry.ParameterCount; i++)
        {
            var key = entry.GetParameterKeyAsString(i);
            if (key != OriginalFormat)
            {
                json.WritePropertyName(key);
                WriteValue(json, entry.GetParameterValue(i));
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int number:
                json.WriteNumberValue(number);
                break;
            case long number:
                json.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case DateTimeOffset time:
                json.WriteStringValue(time);
                break;
            case TimeSpan span:
                json.WriteStringValue(span.ToString("c", CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
