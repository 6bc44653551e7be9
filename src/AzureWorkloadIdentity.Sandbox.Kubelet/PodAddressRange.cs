using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// The pod CIDR: the /16 pod IPs are taken from, split into /30 links (host side <c>.1</c>, pod <c>.2</c> of each
/// four). Chosen at start among <see cref="Candidates"/> as the first that overlaps none of the machine's routes, so
/// a pod's address never hides a real network (a podman bridge, a VPN, the host's own subnet).
/// </summary>
public sealed class PodAddressRange
{
    /// <summary>Tried in order; the first is the CIDR kubeadm's flannel examples use.</summary>
    public static IReadOnlyList<string> Candidates { get; } = ["10.244.0.0/16", "10.245.0.0/16", "172.30.0.0/16", "192.168.240.0/20"];

    private PodAddressRange(IPNetwork network) => Network = network;

    public IPNetwork Network { get; }

    /// <summary>How many pod links the range holds.</summary>
    public int Capacity => (int)Math.Min(int.MaxValue, Math.Pow(2, 32 - Network.PrefixLength) / 4);

    /// <summary>The host side and the pod side of link <paramref name="index"/>.</summary>
    public (IPAddress Host, IPAddress Pod) Link(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Capacity);
        var bytes = Network.BaseAddress.GetAddressBytes();
        var start = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]) + (uint)(index * 4);
        return (Address(start + 1), Address(start + 2));
    }

    /// <summary>The first candidate that overlaps none of <paramref name="routes"/> (CIDRs; <c>default</c> is ignored).</summary>
    /// <exception cref="InvalidOperationException">Every candidate collides; the message names them and the routes.</exception>
    public static PodAddressRange Choose(IEnumerable<string> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var taken = routes.Select(ParseRoute).OfType<IPNetwork>().ToList();
        foreach (var candidate in Candidates)
        {
            var network = IPNetwork.Parse(candidate);
            if (!taken.Any(t => Overlaps(t, network)))
            {
                return new PodAddressRange(network);
            }
        }

        throw new InvalidOperationException(
            $"no pod CIDR is free: each of {string.Join(", ", Candidates)} overlaps a route of this machine ({string.Join(", ", taken)}); remove the route or run the sandbox on another machine");
    }

    /// <summary>
    /// Reads the machine's IPv4 routes (<c>ip -4 route show table all</c>) and chooses, ignoring the links of pods
    /// (of this or another sandbox on the machine), which are in the range already.
    /// </summary>
    public static PodAddressRange Detect()
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-4", "route", "show", "table", "all" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot run ip to read the routes");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return Choose(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.Contains(" dev " + PodNetwork.HostInterfacePrefix, StringComparison.Ordinal)) // other sandboxes' pods
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(words => words[0] is "local" or "broadcast" or "unicast" && words.Length > 1 ? words[1] : words[0]));
    }

    private static IPNetwork? ParseRoute(string route)
    {
        if (route is "default" or "")
        {
            return null;
        }

        var text = route.Contains('/', StringComparison.Ordinal) ? route : route + "/32";
        return IPNetwork.TryParse(text, out var network) && network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? network : null;
    }

    private static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    private static IPAddress Address(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    public override string ToString() => Network.ToString();
}
