using Xunit;

namespace AzureWorkloadIdentity.TestUtilities;

/// <summary>Waits on a condition by polling, failing with a message that says what did not happen.</summary>
public static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls what the controllers write until it is as expected, failing with <c>what</c> after 20 s.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        for (var attempt = 0; ; attempt++)
        {
            var value = await read();
            if (done(value) || attempt == 200)
            {
                Assert.True(done(value), $"{what} did not get there within 20 s");
                return value;
            }

            await Task.Delay(Poll);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing with <paramref name="failure"/>'s text after <paramref name="timeout"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(failure);
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail(failure());
            }

            await Task.Delay(Poll);
        }
    }
}
