using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AzureWorkloadIdentity.Core.Configuration;
using Microsoft.Extensions.Logging;

namespace AzureWorkloadIdentity.Core.Tests.Configuration;

/// <summary>
/// The lines both processes write (<c>--log-format</c> text and json), read back from the stream the same writer
/// fills: one line per event, nothing lost under many logging threads, line breaks in values never split a line.
/// </summary>
public sealed partial class ConsoleLoggingTests
{
    private static readonly Action<ILogger, string, int, Exception?> Served = LoggerMessage.Define<string, int>(
        LogLevel.Information, new EventId(1001, "Served"), "served {Name} with {Count} values");

    private static readonly Action<ILogger, DateTimeOffset, TimeSpan, Exception?> Expires = LoggerMessage.Define<DateTimeOffset, TimeSpan>(
        LogLevel.Warning, new EventId(7), "expires {NotAfter} in {Left}");

    [Fact]
    public void Text_OneEvent_TimestampLevelCategoryEventIdAndMessage()
    {
        var lines = Write(ConsoleLogging.Text, logger => Served(logger, "pod-a", 42, null));

        var line = Assert.Single(lines);
        Assert.Matches(TextLine(), line);
        Assert.EndsWith(" info: Tests.Category[1001] served pod-a with 42 values", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_LineBreaksInValueAndException_StayOnTheEventsLine()
    {
        var lines = Write(ConsoleLogging.Text, logger =>
            Served(logger, "a\nforged-line\r\nb", 1, new InvalidOperationException("first\nsecond")));

        var line = Assert.Single(lines);
        Assert.Contains("served a forged-line  b with 1 values System.InvalidOperationException: first second", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_OneEvent_MembersAndNamedValuesByType()
    {
        var notAfter = new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
        var lines = Write(ConsoleLogging.Json, logger =>
        {
            Served(logger, "pod \"a\"\n+", 42, null);
            Expires(logger, notAfter, TimeSpan.FromMinutes(90), null);
        });

        Assert.Equal(2, lines.Count);
        using var served = JsonDocument.Parse(lines[0]);
        var root = served.RootElement;
        Assert.Equal(1001, root.GetProperty("EventId").GetInt32());
        Assert.Equal("Information", root.GetProperty("LogLevel").GetString());
        Assert.Equal("Tests.Category", root.GetProperty("Category").GetString());
        Assert.Equal("served pod \"a\"\n+ with 42 values", root.GetProperty("Message").GetString());
        Assert.Equal("pod \"a\"\n+", root.GetProperty("State").GetProperty("Name").GetString());
        Assert.Equal(42, root.GetProperty("State").GetProperty("Count").GetInt32());
        Assert.Equal(TimeSpan.Zero, root.GetProperty("Timestamp").GetDateTimeOffset().Offset);
        Assert.False(root.GetProperty("State").TryGetProperty("{OriginalFormat}", out _));
        Assert.DoesNotContain("\\u002B", lines[0], StringComparison.Ordinal);

        using var expires = JsonDocument.Parse(lines[1]);
        Assert.Equal("Warning", expires.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal(notAfter, expires.RootElement.GetProperty("State").GetProperty("NotAfter").GetDateTimeOffset());
        Assert.Equal("01:30:00", expires.RootElement.GetProperty("State").GetProperty("Left").GetString());
    }

    [Fact]
    public void Json_Exception_WrittenAsItsText()
    {
        var lines = Write(ConsoleLogging.Json, logger => Served(logger, "p", 1, new InvalidOperationException("broken")));

        using var line = JsonDocument.Parse(Assert.Single(lines));
        Assert.StartsWith("System.InvalidOperationException: broken", line.RootElement.GetProperty("Exception").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BelowTheLevel_NotWritten()
    {
        var lines = Write(ConsoleLogging.Text, logger =>
        {
            logger.LogDebug("hidden");
            Served(logger, "shown", 1, null);
        });

        Assert.EndsWith("served shown with 1 values", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConsoleLogging.Text)]
    [InlineData(ConsoleLogging.Json)]
    public async Task ManyThreads_MoreEventsThanTheQueueHolds_EveryLineWrittenWhole(string format)
    {
        const int Threads = 4;
        var perThread = ConsoleLogging.QueueCapacity; // together four times what the queue holds: loggers wait, none is lost
        var lines = await WriteAsync(format, logger => Parallel.ForAsync(0, Threads, (thread, _) =>
        {
            for (var i = 0; i < perThread; i++)
            {
                Served(logger, $"t{thread}", i, null);
            }

            return ValueTask.CompletedTask;
        }));

        Assert.Equal(Threads * perThread, lines.Count);
        var seen = new ConcurrentDictionary<string, int>();
        foreach (var line in lines)
        {
            var (name, count) = format == ConsoleLogging.Json ? FromJson(line) : FromText(line);
            seen.AddOrUpdate(name, 1, (_, n) => n + 1);
            Assert.InRange(count, 0, perThread - 1);
        }

        Assert.All(Enumerable.Range(0, Threads), thread => Assert.Equal(perThread, seen[$"t{thread}"]));

        static (string, int) FromJson(string line)
        {
            using var json = JsonDocument.Parse(line);
            var state = json.RootElement.GetProperty("State");
            return (state.GetProperty("Name").GetString()!, state.GetProperty("Count").GetInt32());
        }

        static (string, int) FromText(string line)
        {
            var match = Regex.Match(line, @"served (t\d) with (\d+) values$", RegexOptions.None, TimeSpan.FromSeconds(1));
            Assert.True(match.Success, line);
            return (match.Groups[1].Value, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// stdout stalls (a slow reader): a thread that logs queues and goes on, the lines wait for the writer's own thread,
    /// and every one is written once the reader drains the pipe.
    /// </summary>
    [Fact(Timeout = 30_000)]
    public async Task StalledOutput_LoggingDoesNotWaitForIt_AndEveryLineIsWrittenAfterwards()
    {
        using var stalled = new StalledStream();
        var factory = LoggerFactory.Create(logging => logging.AddStreamLogging(LogLevel.Information, ConsoleLogging.Text, stalled));
        var logger = factory.CreateLogger("Tests.Category");
        Served(logger, "first", 0, null);
        Assert.True(stalled.WriteStarted.Wait(TimeSpan.FromSeconds(10)), "the writer never wrote the first line");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 1; i <= 1_000; i++)
        {
            Served(logger, "next", i, null);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"logging 1,000 lines behind a stalled stdout took {clock.Elapsed}");
        stalled.Release();
        await Task.Run(factory.Dispose);

        var lines = Encoding.UTF8.GetString(stalled.Written).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1_001, lines.Length);
        Assert.EndsWith("served next with 1000 values", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void LoggedAfterDisposal_StillWritten()
    {
        var output = new MemoryStream();
        var factory = LoggerFactory.Create(logging => logging.AddStreamLogging(LogLevel.Information, ConsoleLogging.Text, output));
        var logger = factory.CreateLogger("Tests.Category");
        Served(logger, "before", 1, null);
        factory.Dispose();

        Served(logger, "after", 2, null);

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("served after with 2 values", lines[1], StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z (trce|dbug|info|warn|fail|crit): ")]
    private static partial Regex TextLine();

    private static List<string> Write(string format, Action<ILogger> log) =>
        WriteAsync(format, logger => { log(logger); return Task.CompletedTask; }).GetAwaiter().GetResult();

    // Disposing the factory waits for the writer to write every queued line.
    private static async Task<List<string>> WriteAsync(string format, Func<ILogger, Task> log)
    {
        var output = new MemoryStream();
        using (var factory = LoggerFactory.Create(logging => logging.AddStreamLogging(LogLevel.Information, format, output)))
        {
            await log(factory.CreateLogger("Tests.Category"));
        }

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>A stream whose writes block until <see cref="Release"/>, like a pipe nobody reads.</summary>
    private sealed class StalledStream : Stream
    {
        private readonly ManualResetEventSlim _released = new(false);
        private readonly MemoryStream _written = new();

        public ManualResetEventSlim WriteStarted { get; } = new(false);

        public byte[] Written => _written.ToArray();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written.Length;

        public override long Position { get => _written.Position; set => throw new NotSupportedException(); }

        public void Release() => _released.Set();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            WriteStarted.Set();
            _released.Wait();
            _written.Write(buffer);
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _released.Dispose();
                _written.Dispose();
                WriteStarted.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
