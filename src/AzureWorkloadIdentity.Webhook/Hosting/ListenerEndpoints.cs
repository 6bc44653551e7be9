using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>
/// The Kestrel listeners as configured; after start-up Kestrel writes the bound endpoint back (port 0 becomes the
/// ephemeral port), so requests are told apart by the local port they arrived on.
/// </summary>
public sealed class ListenerEndpoints
{
    private readonly ListenOptions?[] _listeners = new ListenOptions?[3];

    internal void Set(Listener listener, ListenOptions options) => _listeners[(int)listener] = options;

    /// <summary>The bound port of a listener (valid once the server has started).</summary>
    public int Port(Listener listener) => (_listeners[(int)listener]?.EndPoint as IPEndPoint)?.Port ?? 0;

    /// <summary>Which listener a local port belongs to, or null.</summary>
    public Listener? Find(int localPort)
    {
        for (var i = 0; i < _listeners.Length; i++)
        {
            if ((_listeners[i]?.EndPoint as IPEndPoint)?.Port == localPort)
            {
                return (Listener)i;
            }
        }

        return null;
    }
}
