using System.Globalization;
using System.Text.RegularExpressions;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>Parses and prints durations in Go's notation (<c>1h0m0s</c>, <c>90m</c>, <c>1.5h</c>), as the original's flags take them.</summary>
internal static partial class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var matches = Part().Matches(text.Trim());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text.Trim())
        {
            return false;
        }

        double ticks = 0;
        foreach (Match match in matches)
        {
            var number = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            ticks += number * match.Groups["u"].Value switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                _ => 0.01,
            };
        }

        value = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    public static string Format(TimeSpan value) =>
        $"{(long)value.TotalHours}h{value.Minutes}m{value.Seconds}s";

    [GeneratedRegex(@"(?<n>[0-9]+(\.[0-9]*)?|\.[0-9]+)(?<u>ns|us|µs|ms|h|m|s)")]
    private static partial Regex Part();
}
