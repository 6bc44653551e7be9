using System.Collections.Concurrent;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The API server's HTTPS clients for webhook calls, one per trust (caBundle) and destination, kept across calls so
/// an admission does not pay for a new TLS connection each time. A changed caBundle or endpoint is a new key; when
/// the cache grows past its bound (many short-lived registrations, as in tests) it starts afresh.
/// </summary>
internal static class WebhookClients
{
    private const int MaxClients = 64;
    private static readonly ConcurrentDictionary<string, HttpClient> Clients = new(StringComparer.Ordinal);

    public static HttpClient For(string? caBundle, WebhookTarget target, Func<string?, WebhookTarget, HttpClient> create)
    {
        var key = $"{caBundle}|{target.Url.GetLeftPart(UriPartial.Authority)}|{target.Endpoint}";
        if (Clients.TryGetValue(key, out var client))
        {
            return client;
        }

        if (Clients.Count >= MaxClients)
        {
            // Calls in flight keep their client; it is collected once they end.
            Clients.Clear();
        }

        return Clients.GetOrAdd(key, _ => create(caBundle, target));
    }
}
