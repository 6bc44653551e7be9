using System.Net;
using AzureWorkloadIdentity.Webhook.Tests.Hosting;
using k8s;
using k8s.Autorest;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>
/// A test kubelet for one replica's Secret volume: projects the Secret's files into the cert dir only after a
/// content has been stable for <c>delay</c> (a real kubelet refreshes Secret volumes on the order of a minute), and
/// not at all while <see cref="Held"/>. A deleted Secret leaves the files as they are, as with a real kubelet.
/// </summary>
internal sealed class LateSecretKubelet : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly string _directory;
    private readonly TimeSpan _delay;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private volatile bool _held;
    private volatile int _projections;

    public LateSecretKubelet(IKubernetes client, string directory, TimeSpan delay)
    {
        _client = client;
        _directory = directory;
        _delay = delay;
        _running = Task.Run(RunAsync);
    }

    /// <summary>While true, nothing is projected (the files arrive arbitrarily late).</summary>
    public bool Held
    {
        get => _held;
        set => _held = value;
    }

    /// <summary>How many times the files were projected.</summary>
    public int Projections => _projections;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        string? projected = null;
        (string Content, DateTimeOffset Since)? pending = null;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var data = await ReadAsync();
                var content = data is null ? null : string.Join("|", data.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Key + "=" + Convert.ToBase64String(pair.Value)));
                if (data is not null && content != projected)
                {
                    if (pending is not { } current || current.Content != content)
                    {
                        current = (content!, DateTimeOffset.UtcNow);
                        pending = current;
                    }

                    if (!_held && DateTimeOffset.UtcNow - current.Since >= _delay && data.Values.All(value => value.Length > 0))
                    {
                        SecretVolume.Project(_directory, data.ToDictionary(pair => pair.Key, pair => pair.Value));
                        projected = content;
                        Interlocked.Increment(ref _projections);
                    }
                }

                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<IDictionary<string, byte[]>?> ReadAsync()
    {
        try
        {
            var secret = await _client.CoreV1.ReadNamespacedSecretAsync("wi-cert", "wi-system", cancellationToken: _stop.Token);
            return secret.Data is { Count: > 0 } data ? data : null;
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
