using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>The log format of both processes: one line per event with a UTC timestamp (<c>text</c>), or <c>json</c>.</summary>
public static class ConsoleLogging
{
    public const string Text = "text";
    public const string Json = "json";

    /// <summary>The accepted <c>--log-format</c> values, for error messages.</summary>
    public const string Supported = "text or json";

    private const string Timestamp = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public static bool IsSupported(string? format) => format is Text or Json;

    /// <summary>Replaces the providers with the console in <paramref name="format"/>, from <paramref name="level"/>.</summary>
    public static ILoggingBuilder AddConsoleLogging(this ILoggingBuilder logging, LogLevel level, string format)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        if (format == Json)
        {
            logging.AddJsonConsole(json => { json.TimestampFormat = Timestamp; json.UseUtcTimestamp = true; });
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = Timestamp + " ";
                console.UseUtcTimestamp = true;
                console.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }

        return logging;
    }
}
