namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// Runs <see cref="CertificateRotator"/> at start and then every <see cref="CertificateRotationOptions.ReconcileInterval"/>
/// (renewal ahead of expiry and caBundle repair), retrying failures with exponential backoff from one second.
/// </summary>
public sealed class CertificateRotationService(
    CertificateRotator rotator,
    CertificateRotationOptions options,
    CertificateRotationState state,
    TimeProvider timeProvider,
    ILogger<CertificateRotationService> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        CertificateRotationLog.Started(logger, options.Namespace, options.SecretName, options.WebhookConfigurationName, options.DnsName, options.CertDir, rotator.WritesFiles);
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
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                var message = exception is CertificateRotationException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";
                state.Failed(message);
                wait = retry < options.ReconcileInterval ? retry : options.ReconcileInterval;
                retry = retry * 2;
                CertificateRotationLog.ReconcileFailed(logger, wait, message);
            }

            try
            {
                await Task.Delay(wait, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
