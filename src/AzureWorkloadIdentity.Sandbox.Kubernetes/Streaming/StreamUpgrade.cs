namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>
/// The upgrade a streaming subresource needs: a WebSocket with one of the subprotocols served (the client's first
/// choice among them wins). kubectl tries the WebSocket first and, when it is refused, SPDY — which this sandbox does
/// not serve, so that second request gets an error that says so (kubectl before 1.30 sends only SPDY).
/// </summary>
internal static class StreamUpgrade
{
    public static string Negotiate(HttpContext context, string subresource, IReadOnlyList<string> served)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            var requested = context.WebSockets.WebSocketRequestedProtocols;
            return requested.FirstOrDefault(p => served.Contains(p, StringComparer.Ordinal))
                ?? throw KubernetesApiException.BadRequest(
                    $"unable to upgrade: pods/{subresource} is served with the WebSocket subprotocols [{string.Join(' ', served)}], and the request asked for [{string.Join(' ', requested)}]");
        }

        var upgrade = context.Request.Headers.Upgrade.ToString();
        if (upgrade.Contains("SPDY/", StringComparison.OrdinalIgnoreCase))
        {
            throw KubernetesApiException.BadRequest(
                $"this sandbox serves pods/{subresource} over WebSocket only, not SPDY: use kubectl 1.31 or later (older kubectl versions speak only SPDY for {subresource})");
        }

        throw KubernetesApiException.BadRequest($"pods/{subresource} is a streaming request: upgrade the connection to a WebSocket with one of the subprotocols [{string.Join(' ', served)}]");
    }
}
