using System.Net.WebSockets;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming.Spdy;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>
/// <c>/api/v1/namespaces/{ns}/pods/{name}/portforward</c> as kubectl 1.31 and later ask for it (KEP-4006): a
/// WebSocket with the subprotocol <c>SPDY/3.1+portforward.k8s.io</c> whose binary messages carry a SPDY/3.1
/// connection, the same bytes kube-apiserver's tunneling handler relays to the kubelet. The SPDY streams are served
/// here (<see cref="SpdyConnection"/>, <see cref="PortForwardSession"/>), the pod's ports reached through the kubelet.
/// </summary>
internal static class PodPortForwardEndpoint
{
    private static readonly string[] Protocols = ["SPDY/3.1+portforward.k8s.io"];

    public static async Task HandleAsync(HttpContext context, ObjectStore store, IKubeletStreams kubelet, ResourcePath path)
    {
        store.Get(ResourceCatalog.Pods, path.Namespace, path.Name!);
        var protocol = StreamUpgrade.Negotiate(context, "portforward", Protocols);
        // The subprotocol has a '/', which is not an HTTP token character: ASP.NET Core refuses it as the accepted
        // subprotocol, so it is answered in the header directly, as kube-apiserver (gorilla/websocket) answers it.
        context.Response.Headers.SecWebSocketProtocol = protocol;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(subProtocol: null);
        await using var transport = WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: false);
        using var connection = new SpdyConnection(transport);
        var session = new PortForwardSession(kubelet, path.Namespace!, path.Name!, context.RequestAborted);
        try
        {
            await connection.RunAsync(session.Accept, context.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or IOException or InvalidDataException)
        {
            // The client went away (kubectl port-forward stopped) or sent what is not SPDY: the connection ends.
        }

        await session.StopAsync();
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
    }
}
