using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Autorest;

namespace AzureWorkloadIdentity.Webhook.KubernetesApi;

/// <summary>The type of one watch event, as the API server names it.</summary>
internal enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}

/// <summary>
/// A Kubernetes watch over the webhook's <see cref="KubernetesApiClient"/>: reads the API server's newline-delimited
/// watch stream, one <c>{"type": …, "object": …}</c> per line, into the given JSON type.
/// </summary>
internal static class KubernetesWatch
{
    /// <summary>
    /// Streams the events of a watch on <paramref name="path"/> (relative to the API server, e.g.
    /// <c>api/v1/serviceaccounts</c>) until the server ends it or <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="client">The connection to the API server.</param>
    /// <param name="path">The collection to watch.</param>
    /// <param name="type">How to read the objects of the events.</param>
    /// <param name="query">Query parameters besides <c>watch</c>; null values are left out.</param>
    /// <param name="onMalformedEvent">Called with the error for a line that is not a watch event; the watch goes on.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <exception cref="HttpOperationException">The server refused the watch (its status code is on <c>Response</c>).</exception>
    /// <exception cref="KubernetesException">The server sent an ERROR event (e.g. 410 Gone for an expired resourceVersion).</exception>
    public static async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync<T>(
        this KubernetesApiClient client,
        string path,
        JsonTypeInfo<T> type,
        IReadOnlyDictionary<string, string?> query,
        Action<Exception>? onMalformedEvent = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(query);
        using var request = new HttpRequestMessage(HttpMethod.Get, client.RequestUri(path, [new("watch", "true"), .. query]));

        // Headers only: the client's timeout then bounds connecting, not the long-lived stream that follows.
        using var response = await client.OpenAsync(request, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (Parse(line, type, onMalformedEvent) is { } parsed)
            {
                yield return parsed;
            }
        }
    }

    /// <summary>One line of the stream as an event; null (after telling <paramref name="onMalformedEvent"/>) when it is not one.</summary>
    private static (WatchEventType, T)? Parse<T>(string line, JsonTypeInfo<T> type, Action<Exception>? onMalformedEvent)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var eventName = root.GetProperty("type").GetString();
            var value = root.GetProperty("object");
            if (eventName == "ERROR")
            {
                throw new KubernetesException(value.Deserialize(KubernetesApiJsonContext.Default.V1Status));
            }

            var eventType = eventName switch
            {
                "ADDED" => WatchEventType.Added,
                "MODIFIED" => WatchEventType.Modified,
                "DELETED" => WatchEventType.Deleted,
                "BOOKMARK" => WatchEventType.Bookmark,
                _ => throw new InvalidDataException($"unknown watch event type '{eventName}'"),
            };
            return (eventType, value.Deserialize(type) ?? throw new InvalidDataException("watch event has a null object"));
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException or KeyNotFoundException or InvalidOperationException)
        {
            onMalformedEvent?.Invoke(new InvalidDataException($"watch event is not usable: {exception.Message}", exception));
            return null;
        }
    }
}
