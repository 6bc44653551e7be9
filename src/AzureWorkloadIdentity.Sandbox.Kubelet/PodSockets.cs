using System.Net;
using System.Net.Sockets;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// Connections the kubelet makes to a pod (probes, port-forward): from a socket of the pod's own network namespace
/// when it has one, so the pod's loopback is reached, else from the machine's network.
/// </summary>
public static class PodSockets
{
    public static async Task<Socket> ConnectAsync(LocalPod pod, IPAddress address, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var socket = pod.Network?.CreateSocket() ?? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
