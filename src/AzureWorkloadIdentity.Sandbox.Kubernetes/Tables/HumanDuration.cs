using System.Globalization;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Tables;

/// <summary>Ages as kubectl shows them (<c>45s</c>, <c>3m12s</c>, <c>5h2m</c>, <c>12d</c>): the rounding of apimachinery's HumanDuration.</summary>
public static class HumanDuration
{
    public static string Format(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return Text(seconds, "s");
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return Pair(minutes, "m", seconds % 60, "s");
        }

        if (minutes < 180)
        {
            return Text(minutes, "m");
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return Pair(hours, "h", minutes % 60, "m");
        }

        if (hours < 48)
        {
            return Text(hours, "h");
        }

        if (hours < 24 * 8)
        {
            return Pair(hours / 24, "d", hours % 24, "h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Text(hours / 24, "d");
        }

        return hours < 24 * 365 * 8 ? Pair(hours / 24 / 365, "y", hours / 24 % 365, "d") : Text(hours / 24 / 365, "y");
    }

    /// <summary>The age of an RFC 3339 timestamp field, or <c>&lt;unknown&gt;</c> when it is missing.</summary>
    public static string Since(JsonNode? timestamp, DateTimeOffset now) =>
        timestamp is JsonValue value && value.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? Format(now - time)
            : "<unknown>";

    private static string Text(long value, string unit) => value.ToString(CultureInfo.InvariantCulture) + unit;

    private static string Pair(long major, string majorUnit, long minor, string minorUnit) =>
        minor == 0 ? Text(major, majorUnit) : Text(major, majorUnit) + Text(minor, minorUnit);
}
