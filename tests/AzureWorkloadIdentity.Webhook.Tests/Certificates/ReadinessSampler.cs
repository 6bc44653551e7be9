namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>Polls /readyz of every replica in rounds and counts the rounds in which none was ready.</summary>
internal sealed class ReadinessSampler : IAsyncDisposable
{
    private readonly IReadOnlyList<RotatingWebhook> replicas;
    private readonly CancellationTokenSource stop = new();
    private readonly Task<(int Samples, int NoneReady)> running;

    public ReadinessSampler(IReadOnlyList<RotatingWebhook> replicas)
    {
        this.replicas = replicas;
        running = Task.Run(RunAsync);
    }

    public async Task<(int Samples, int NoneReady)> StopAsync()
    {
        await stop.CancelAsync();
        return await running;
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        stop.Dispose();
    }

    private async Task<(int Samples, int NoneReady)> RunAsync()
    {
        var (samples, noneReady) = (0, 0);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var ready = await Task.WhenAll(replicas.Select(replica => replica.IsReadyAsync(stop.Token)));
                samples++;
                noneReady += ready.Any(r => r) ? 0 : 1;
                await Task.Delay(20, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }

        return (samples, noneReady);
    }
}
