using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AzureWorkloadIdentity.Sandbox.Kubelet;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet.Networking;

/// <summary>A pod network's own IP, as a real pod has: routable from the machine, gone with the pod.</summary>
public sealed class PodNetworkTests
{
    private const int Timeout = 60_000;

    [PodNetworkFact(Timeout = Timeout)]
    public async Task CreateAsync_PodIpFromPodCidr_ReachableFromMachineAndRemovedWithNetwork()
    {
        var network = await PodNetwork.CreateAsync("azwi-t" + Guid.NewGuid().ToString("N")[..6], []);
        IPAddress podIp;
        string hostInterface;
        try
        {
            podIp = network.PodIp!;
            Assert.True(PodNetwork.Range.Network.Contains(podIp), $"{podIp} is outside the pod CIDR {PodNetwork.Range}");
            hostInterface = Interfaces().Single(i => i.Address == network.HostIp!.ToString()).Name;

            using var listener = network.CreateSocket();
            listener.Bind(new IPEndPoint(podIp, 0));
            listener.Listen(1);
            var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            var accepted = listener.AcceptAsync();
            using var fromMachine = new TcpClient();
            await fromMachine.ConnectAsync(podIp, port);
            using var inside = await accepted.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(network.HostIp, ((IPEndPoint)inside.RemoteEndPoint!).Address);
        }
        finally
        {
            await network.DisposeAsync();
        }

        // The kernel removes the veth pair with the namespace, asynchronously: wait for it, then assert.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (Interfaces().Any(i => i.Name == hostInterface || i.Address == podIp.ToString()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.DoesNotContain(Interfaces(), i => i.Name == hostInterface || i.Address == podIp.ToString());
    }

    /// <summary>The machine's IPv4 addresses with their interface (<c>ip -4 -o addr</c>).</summary>
    private static List<(string Name, string Address)> Interfaces()
    {
        var start = new ProcessStartInfo("ip", ["-4", "-o", "addr", "show"]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        return [.. lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(w => (w[1].Split('@')[0], w[3].Split('/')[0]))];
    }
}
