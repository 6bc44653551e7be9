using System.Globalization;
using System.Text;

namespace AzureWorkloadIdentity.Cli.Output;

/// <summary>
/// Writes the documented log lines to stderr: <c>INFO[0003] [phase] message  key=value</c>
/// (level text of four letters, whole seconds since start, message padded to 44 columns and a space, then each
/// field after one more space, sorted by key,
/// values quoted when they hold characters other than letters, digits and <c>-._/@^+</c>).
/// A hand-written formatter because the format is part of the documented output, which no
/// Microsoft.Extensions.Logging console formatter produces. Never pass secrets as fields.
/// </summary>
internal sealed class CliLog(TextWriter writer, bool debug, TimeProvider timeProvider)
{
    private readonly long _start = timeProvider.GetTimestamp();
    private readonly Lock _gate = new();

    public bool IsDebugEnabled { get; } = debug;

    public void Debug(string message, params (string Key, object? Value)[] fields) =>
        Write(CliLogLevel.Debug, message, fields);

    public void Info(string message, params (string Key, object? Value)[] fields) =>
        Write(CliLogLevel.Info, message, fields);

    public void Warning(string message, params (string Key, object? Value)[] fields) =>
        Write(CliLogLevel.Warning, message, fields);

    public void Error(string message, params (string Key, object? Value)[] fields) =>
        Write(CliLogLevel.Error, message, fields);

    public void Write(CliLogLevel level, string message, IReadOnlyList<(string Key, object? Value)> fields)
    {
        if (level == CliLogLevel.Debug && !IsDebugEnabled)
        {
            return;
        }

        var seconds = (long)timeProvider.GetElapsedTime(_start).TotalSeconds;
        var line = new StringBuilder();
        line.Append(LevelText(level))
            .Append('[').Append(seconds.ToString("D4", CultureInfo.InvariantCulture)).Append("] ")
            .Append(message.PadRight(44)).Append(' ');
        foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            line.Append(' ').Append(key).Append('=').Append(FormatValue(value));
        }

        lock (_gate)
        {
            writer.WriteLine(line.ToString().TrimEnd());
        }
    }

    public static string FormatValue(object? value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        return NeedsQuoting(text) ? Quote(text) : text;
    }

    private static bool NeedsQuoting(string text)
    {
        if (text.Length == 0)
        {
            return true;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '/' or '@' or '^' or '+'))
            {
                return true;
            }
        }

        return false;
    }

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string LevelText(CliLogLevel level) => level switch
    {
        CliLogLevel.Debug => "DEBU",
        CliLogLevel.Info => "INFO",
        CliLogLevel.Warning => "WARN",
        _ => "ERRO",
    };
}
