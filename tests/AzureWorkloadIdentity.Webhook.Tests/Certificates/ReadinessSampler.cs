namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>Polls /readyz of every replica in rounds and counts the rounds in which none was ready.</summary>
internal sealed class ReadinessSampler : IAsyncDisposable
{
    private readonly IReadOnlyList<RotatingWebhook> _replicas;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<(int Samples, int NoneReady)> _running;

    public ReadinessSampler(IReadOnlyList<RotatingWebhook> replicas)
    {
        _replicas = replicas;
        _running = Task.Run(RunAsync);
    }

    public async Task<(int Samples, int NoneReady)> StopAsync()
    {
        await _stop.CancelAsync();
        return await _running;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task<(int Samples, int NoneReady)> RunAsync()
    {
        var (samples, noneReady) = (0, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var ready = await Task.WhenAll(_replicas.Select(replica => replica.IsReadyAsync(_stop.Token)));
                samples++;
                noneReady += ready.Any(r => r) ? 0 : 1;
                await Task.Delay(20, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
        }

        return (samples, noneReady);
    }
}
