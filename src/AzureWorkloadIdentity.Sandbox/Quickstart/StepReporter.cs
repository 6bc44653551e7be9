using System.Diagnostics;

namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>Prints one progress line per step as it starts, then what it did and how long it took.</summary>
internal sealed class StepReporter(TextWriter output, int total)
{
    private int _number;

    /// <summary>Runs a step; on failure prints which step failed and why, and rethrows.</summary>
    public async Task<T> RunAsync<T>(string title, Func<Task<(T Result, string Summary)>> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _number++;
        output.WriteLine($"[{_number}/{total}] {title} ...");
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var (result, summary) = await step();
            output.WriteLine($"      done in {stopwatch.ElapsedMilliseconds} ms: {summary}");
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            output.WriteLine($"      FAILED after {stopwatch.ElapsedMilliseconds} ms");
            throw new QuickstartStepException($"step {_number}/{total} \"{title}\" failed: {Describe(e)}", e);
        }
    }

    public Task RunAsync(string title, Func<Task<string>> step) =>
        RunAsync(title, async () => ((object?)null, await step()));

    private static string Describe(Exception e)
    {
        // Azure.Identity puts the service's AADSTS text in the inner exception.
        var inner = e.InnerException is { } i && i.Message.Contains("AADSTS", StringComparison.Ordinal) ? " " + i.Message : string.Empty;
        return e.Message + inner;
    }
}
