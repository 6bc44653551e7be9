using System.Net;
using AzureWorkloadIdentity.Webhook.KubernetesApi;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// Watches the webhook's own MutatingWebhookConfiguration (by name, which its RBAC allows) and wakes the rotation
/// as soon as a caBundle differs from the one put in place, so an overwrite is repaired at once rather than at the
/// next interval. Reconnects after each watch ends; on errors backs off up to the reconcile interval.
/// </summary>
public sealed class WebhookConfigurationWatch(
    KubernetesApiClient client,
    CertificateRotationOptions options,
    CertificateRotationState state,
    TimeProvider timeProvider,
    ILogger<WebhookConfigurationWatch> logger)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    public async Task RunAsync(Action wake, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wake);
        var retry = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                Exception? malformed = null;
                var events = client.WatchAsync(
                    "apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
                    KubernetesApiJsonContext.Default.V1MutatingWebhookConfiguration,
                    new Dictionary<string, string?>
                    {
                        ["fieldSelector"] = $"metadata.name={options.WebhookConfigurationName}",
                        ["timeoutSeconds"] = "300",
                    },
                    onMalformedEvent: exception => malformed ??= exception,
                    cancellationToken: cancellationToken);
                await foreach (var (type, configuration) in events.ConfigureAwait(false))
                {
                    retry = FirstRetry;
                    if (type is WatchEventType.Added or WatchEventType.Modified
                        && state.DesiredBundle is { } desired
                        && CertificateRotator.IsStale(configuration, desired))
                    {
                        wake();
                    }
                }

                if (malformed is not null)
                {
                    // Reported and retried like a failed watch.
                    throw malformed;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var detail = exception is k8s.Autorest.HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden }
                    ? $"the service account may not watch mutatingwebhookconfiguration {options.WebhookConfigurationName}; repairs wait for the periodic check"
                    : $"{exception.GetType().Name}: {exception.Message}";
                CertificateRotationLog.WatchFailed(logger, retry, detail);
                try
                {
                    await Task.Delay(retry, timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = retry * 2 < options.ReconcileInterval ? retry * 2 : options.ReconcileInterval;
            }
        }
    }
}
