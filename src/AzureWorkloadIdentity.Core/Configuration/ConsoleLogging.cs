using Microsoft.Extensions.Logging;
using ZLogger;

namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>
/// The log output of both processes: one line per event on stdout, <c>text</c> (UTC timestamp, level, category, event
/// id, message) or <c>json</c>. ZLogger's loggers queue the events and <see cref="LogWriterThread"/> formats them as
/// UTF-8 and writes each batch with one write, from a thread of its own. The webhook logs every mutation at
/// Information, so a line per admission costs neither a string of the whole line nor a system call and a thread switch
/// of its own, as it did with the console logger that formats on the calling thread and writes line by line.
/// </summary>
public static class ConsoleLogging
{
    public const string Text = "text";
    public const string Json = "json";

    /// <summary>The accepted <c>--log-format</c> values, for error messages.</summary>
    public const string Supported = "text or json";

    /// <summary>
    /// Events queued before the writer catches up; a logging thread then waits for room, as the console logger did, so
    /// a stalled stdout neither loses lines nor grows the queue without bound.
    /// </summary>
    public const int QueueCapacity = 10_000;

    public static bool IsSupported(string? format) => format is Text or Json;

    /// <summary>Replaces the providers with stdout in <paramref name="format"/>, from <paramref name="level"/>.</summary>
    public static ILoggingBuilder AddConsoleLogging(this ILoggingBuilder logging, LogLevel level, string format)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        return logging.AddZLoggerLogProcessor(options => Configure(options, format, Console.OpenStandardOutput(), ownsOutput: true));
    }

    /// <summary>The same lines to <paramref name="output"/> (tests read them from a stream).</summary>
    public static ILoggingBuilder AddStreamLogging(this ILoggingBuilder logging, LogLevel level, string format, Stream output)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        return logging.AddZLoggerLogProcessor(options => Configure(options, format, output, ownsOutput: false));
    }

    private static LogWriterThread Configure(ZLoggerOptions options, string format, Stream output, bool ownsOutput)
    {
        // A [LoggerMessage] event's message is made with its line, on the writer's thread, not by the thread that logs.
        options.IsFormatLogImmediatelyInStandardLog = false;
        // A line the writer could not format is reported, never dropped silently.
        options.InternalErrorLogger = static exception =>
            Console.Error.WriteLine($"a log line could not be written: {exception.GetType().Name}: {exception.Message}");
        options.UseFormatter(format == Json ? static () => new JsonLogLineFormatter() : static () => new TextLogLineFormatter());
        return new LogWriterThread(output, ownsOutput, options, QueueCapacity);
    }
}
