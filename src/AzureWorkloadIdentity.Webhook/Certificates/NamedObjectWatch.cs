using System.Net;
using System.Text.Json.Serialization.Metadata;
using AzureWorkloadIdentity.Webhook.KubernetesApi;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// Watches one object by name (which a Role limited to that name allows) and hands every event to the caller.
/// Reconnects after each watch ends; on errors backs off from one second up to the reconcile interval, so a
/// missing permission degrades to the periodic reconcile instead of failing the webhook.
/// </summary>
internal sealed class NamedObjectWatch(KubernetesApiClient client, CertificateRotationOptions options, TimeProvider timeProvider, ILogger<NamedObjectWatch> logger)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    /// <param name="collection">The collection path, e.g. <c>api/v1/namespaces/x/secrets</c>.</param>
    /// <param name="what">The object as messages name it, e.g. <c>secret x/y</c>.</param>
    /// <param name="name">The object's name.</param>
    /// <param name="type">How to read the objects of the events.</param>
    /// <param name="onEvent">Called for every event, also for the object's state at each (re)connect.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    public async Task RunAsync<T>(string collection, string what, string name, JsonTypeInfo<T> type, Action<WatchEventType, T> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        var retry = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                Exception? malformed = null;
                var events = client.WatchAsync(
                    collection,
                    type,
                    new Dictionary<string, string?>
                    {
                        ["fieldSelector"] = $"metadata.name={name}",
                        ["timeoutSeconds"] = "300",
                    },
                    onMalformedEvent: exception => malformed ??= exception,
                    cancellationToken: cancellationToken);
                await foreach (var (eventType, item) in events.ConfigureAwait(false))
                {
                    retry = FirstRetry;
                    onEvent(eventType, item);
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
                    ? $"the service account may not watch {what}; repairs wait for the periodic check (give it the chart's Role)"
                    : $"{exception.GetType().Name}: {exception.Message}";
                CertificateRotationLog.WatchFailed(logger, what, retry, detail);
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
