using System.Buffers;
using System.Collections.Concurrent;
using ZLogger;

namespace AzureWorkloadIdentity.Core.Configuration;

/// <summary>
/// Writes ZLogger's queued events to one stream from a thread of its own, a batch at a time: while events keep coming,
/// those of each millisecond go out in one <c>write</c>. A thread of its own, not ZLogger's thread-pool task,
/// because a write to stdout blocks while the reader (the container runtime, a test host) is slow, and the webhook's
/// thread pool (two threads on two cores) must never wait for it; and a disposal that waits for the last lines must
/// not need a thread-pool thread to finish them (tests dispose many hosts at once: that starved the pool for seconds).
/// </summary>
internal sealed class LogWriterThread : IAsyncLogProcessor
{
    // While events keep coming, a batch is written every millisecond; after 100 batches' time without one the writer
    // sleeps until signalled again (an idle webhook costs no wake-ups).
    private static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(1);
    private const int QuietBatchesBeforeSleep = 100;

    // A batch larger than this is written before the rest of the queue is formatted.
    private const int FlushBytes = 64 * 1024;

    // How long disposal waits for the queued lines to be written (a stalled stdout must not stop the process exiting).
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);

    private readonly Stream _output;
    private readonly bool _ownsOutput;
    private readonly ZLoggerOptions _options;
    private readonly int _capacity;
    private readonly IZLoggerFormatter _formatter;
    private readonly ConcurrentQueue<IZLoggerEntry> _queue = new();
    // No spinning before it sleeps: on two cores a spinning writer takes the time of the requests it would log.
    private readonly ManualResetEventSlim _queued = new(false, spinCount: 0);
    private readonly ArrayBufferWriter<byte> _batch = new(16 * 1024);
    private readonly Lock _afterDisposal = new();
    private readonly Thread _thread;

    // Events queued and not yet written: above the capacity, a thread that logs waits for room.
    private int _pending;

    // 1 from the first event queued after the writer went to sleep until it sleeps again: only that event signals it.
    private int _signalled;
    private volatile bool _disposed;
    private bool _exited;

    /// <param name="output">Where the lines go; disposed with this writer when <paramref name="ownsOutput"/>.</param>
    public LogWriterThread(Stream output, bool ownsOutput, ZLoggerOptions options, int capacity)
    {
        _output = output;
        _ownsOutput = ownsOutput;
        _options = options;
        _capacity = capacity;
        _formatter = options.CreateFormatter();
        _thread = new Thread(Run) { IsBackground = true, Name = "Log writer" };
        _thread.Start();
    }

    public void Post(IZLoggerEntry log)
    {
        if (_disposed)
        {
            // Lines logged while the process shuts down: for the writer while it drains the queue, else written at once.
            lock (_afterDisposal)
            {
                if (_exited)
                {
                    Format(log);
                    Write();
                }
                else
                {
                    Interlocked.Increment(ref _pending);
                    _queue.Enqueue(log);
                    _queued.Set();
                }
            }

            return;
        }

        while (Interlocked.Increment(ref _pending) > _capacity)
        {
            // The writer is _capacity events behind (stdout stalled): wait for room, as the console logger did.
            Interlocked.Decrement(ref _pending);
            Thread.Sleep(1);
        }

        _queue.Enqueue(log);
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            _queued.Set();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _queued.Set();
            if (_thread.Join(DrainLimit) && _ownsOutput)
            {
                lock (_afterDisposal)
                {
                    _output.Dispose();
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Run()
    {
        while (true)
        {
            // Asleep until the first event after a quiet spell signals.
            _queued.Wait();

            // Awake: a batch every BatchDelay while events keep coming. Events queued meanwhile find the writer
            // signalled and signal nothing (a futex call and a thread switch each, on the admitting thread).
            var quietBatches = 0;
            while (quietBatches < QuietBatchesBeforeSleep && !_disposed)
            {
                Thread.Sleep(BatchDelay);
                quietBatches = Drain() ? 0 : quietBatches + 1;
            }

            _queued.Reset();
            // From here on, an event queued signals again; what came before is drained now: nothing waits unseen.
            Interlocked.Exchange(ref _signalled, 0);
            Drain();
            if (_disposed)
            {
                lock (_afterDisposal)
                {
                    if (_queue.IsEmpty)
                    {
                        _exited = true;
                        return;
                    }
                }
            }
        }
    }

    /// <summary>Formats and writes every queued event; false when there was none.</summary>
    private bool Drain()
    {
        var any = false;
        while (_queue.TryDequeue(out var entry))
        {
            any = true;
            Interlocked.Decrement(ref _pending);
            Format(entry);
            if (_batch.WrittenCount >= FlushBytes)
            {
                Write();
            }
        }

        Write();
        return any;
    }

    private void Format(IZLoggerEntry entry)
    {
        var start = _batch.WrittenCount;
        try
        {
            _formatter.FormatLogEntry(_batch, entry);
            if (_formatter.WithLineBreak)
            {
                _batch.Write("\n"u8);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A line cut short by the failure still ends, so the next one starts on a line of its own.
            if (_batch.WrittenCount > start)
            {
                _batch.Write("\n"u8);
            }

            _options.InternalErrorLogger?.Invoke(exception);
        }
        finally
        {
            entry.Return();
        }
    }

    private void Write()
    {
        if (_batch.WrittenCount == 0)
        {
            return;
        }

        try
        {
            _output.Write(_batch.WrittenSpan);
            _output.Flush();
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            _options.InternalErrorLogger?.Invoke(exception);
        }

        _batch.ResetWrittenCount();
    }
}
