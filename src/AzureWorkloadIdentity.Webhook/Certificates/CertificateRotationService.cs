using System.Threading.Channels;
using AzureWorkloadIdentity.Webhook.Tls;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// Runs <see cref="CertificateRotator"/> at start, then every <see cref="CertificateRotationOptions.ReconcileInterval"/>
/// (renewal ahead of expiry, caBundle repair), whenever <see cref="CertificateRotationWatch"/> (when given) sees the
/// webhook configuration or the Secret change, and whenever this replica starts serving another certificate (so its
/// <see cref="ServingRecord"/> follows at once); failures are retried with exponential backoff from one second.
/// </summary>
internal sealed class CertificateRotationService(
    CertificateRotator rotator,
    CertificateRotationOptions options,
    CertificateRotationState state,
    TimeProvider timeProvider,
    ILogger<CertificateRotationService> logger,
    CertificateRotationWatch? watch = null,
    ServingCertificate? serving = null) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        CertificateRotationLog.Started(logger, options.Namespace, options.SecretName, options.WebhookConfigurationName, options.DnsName, options.CertDir, rotator.WritesFiles);
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void Wake() => wake.Writer.TryWrite(true);
        var watching = watch?.RunAsync(Wake, stoppingToken) ?? Task.CompletedTask;
        if (serving is not null)
        {
            serving.Changed += Wake;
        }

        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await rotator.ReconcileAsync(stoppingToken).ConfigureAwait(false);
                retry = FirstRetry;
                wait = options.ReconcileInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                var message = exception is CertificateRotationException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";
                state.Failed(message);
                wait = retry < options.ReconcileInterval ? retry : options.ReconcileInterval;
                retry *= 2;
                CertificateRotationLog.ReconcileFailed(logger, wait, message);
            }

            await WaitAsync(wait, wake.Reader, stoppingToken).ConfigureAwait(false);
        }

        if (serving is not null)
        {
            serving.Changed -= Wake;
        }

        await watching.ConfigureAwait(false);
    }

    /// <summary>Returns after <paramref name="wait"/>, on a wake-up, or on shutdown, whichever comes first.</summary>
    private async Task WaitAsync(TimeSpan wait, ChannelReader<bool> wake, CancellationToken stoppingToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(wait, timeProvider, either.Token);
        var woken = wake.WaitToReadAsync(either.Token).AsTask();
        await Task.WhenAny(delay, woken).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        while (wake.TryRead(out _))
        {
        }
    }
}
