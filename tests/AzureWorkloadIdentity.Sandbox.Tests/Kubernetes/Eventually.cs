namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

/// <summary>Polls what the controllers write until it is as expected, failing with <c>what</c> after 20 s.</summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        for (var attempt = 0; ; attempt++)
        {
            var value = await read();
            if (done(value) || attempt == 200)
            {
                Assert.True(done(value), $"{what} did not get there within 20 s");
                return value;
            }

            await Task.Delay(100);
        }
    }
}
