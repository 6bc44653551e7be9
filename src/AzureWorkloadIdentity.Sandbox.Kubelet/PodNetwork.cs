using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// A pod's own network namespace, as a real pod has: containers started in it share a loopback interface that is
/// not the machine's, so the proxy-init container's iptables rules apply to this pod alone. The address
/// <c>169.254.169.254</c> is given to the namespace's loopback so traffic to it has a route (a real node routes it
/// through the pod's eth0). The sandbox's services listen on the machine's loopback; for each of their ports the
/// namespace gets a listener on its own <c>127.0.0.1</c> that relays to the machine's, so URLs and TLS names stay the
/// same inside the pod. The namespace also gets an <c>eth0</c>, one end of a veth pair whose other end stays in the
/// machine's namespace, with the pod's own IP from the pod CIDR (<see cref="PodAddressRange"/>, a /30 link per pod):
/// the pod's IP is routable from the machine (the API server calls webhooks there) and nothing else — no default
/// route, no forwarding. Service addresses (<see cref="ServiceRelay"/>) are put on the namespace's loopback and relayed
/// like the ports. Needs Linux and root (as creating a namespace does); <see cref="IsSupported"/> says whether this
/// process can.
/// </summary>
public sealed partial class PodNetwork : IAsyncDisposable
{
    /// <summary>The machine-side veth of every pod is named this plus the link's index (unique on the machine).</summary>
    public const string HostInterfacePrefix = "azwv";

    private const int CloneNewNet = 0x40000000;
    private static readonly Lazy<PodAddressRange> AddressRange = new(PodAddressRange.Detect);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    private readonly List<Socket> _listeners = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;

    private PodNetwork(string name, ILogger logger)
    {
        Name = name;
        _logger = logger;
    }

    /// <summary>The namespace's name (<c>ip netns</c>).</summary>
    public string Name { get; }

    /// <summary>The pod's IP (its <c>eth0</c>), routable from the machine.</summary>
    public IPAddress? PodIp { get; private set; }

    /// <summary>The machine's end of the pod's link.</summary>
    public IPAddress? HostIp { get; private set; }

    /// <summary>The pod CIDR of this machine, chosen once per process among free ranges.</summary>
    public static PodAddressRange Range => AddressRange.Value;

    /// <summary>Why this process cannot create pod networks, or <see langword="null"/> when it can.</summary>
    public static string? UnsupportedReason =>
        !OperatingSystem.IsLinux() ? "pod networks are Linux network namespaces; this is not Linux"
        : !IsRoot() ? "creating a network namespace needs root; run as root (as CI does)"
        : null;

    public static bool IsSupported => UnsupportedReason is null;

    /// <summary>
    /// Creates the namespace, brings its loopback up with the metadata address, and relays each of
    /// <paramref name="hostPorts"/> on the namespace's 127.0.0.1 to the machine's.
    /// </summary>
    public static async Task<PodNetwork> CreateAsync(
        string name, IEnumerable<int> hostPorts, ILogger? logger = null, CancellationToken cancellationToken = default,
        IReadOnlyList<ServiceRelay>? services = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(hostPorts);
        if (UnsupportedReason is { } reason)
        {
            throw new PlatformNotSupportedException(reason);
        }

        await RunAsync("ip", ["netns", "add", name], cancellationToken);
        var network = new PodNetwork(name, logger ?? NullLogger.Instance);
        try
        {
            await RunAsync("ip", ["-n", name, "link", "set", "lo", "up"], cancellationToken);
            await RunAsync("ip", ["-n", name, "addr", "add", "169.254.169.254/32", "dev", "lo"], cancellationToken);
            await network.LinkAsync(cancellationToken);
            foreach (var port in hostPorts.Distinct())
            {
                network.RelayToHost(IPAddress.Loopback, port, port);
            }

            foreach (var service in services ?? [])
            {
                await RunAsync("ip", ["-n", name, "addr", "add", $"{service.Address}/32", "dev", "lo"], cancellationToken);
                network.RelayToHost(service.Address, service.Port, service.HostPort);
            }
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }

        return network;
    }

    /// <summary>
    /// Makes <paramref name="start"/> run inside the namespace, as <paramref name="userId"/> when given
    /// (the container's <c>runAsUser</c>), with no supplementary groups.
    /// </summary>
    public void Enter(ProcessStartInfo start, long? userId)
    {
        ArgumentNullException.ThrowIfNull(start);
        var program = start.FileName;
        var arguments = start.ArgumentList.ToList();
        start.FileName = "ip";
        start.ArgumentList.Clear();
        string[] prefix = userId is { } uid and not 0
            ? ["netns", "exec", Name, "setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups", program]
            : ["netns", "exec", Name, program];
        foreach (var argument in prefix.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
    }

    /// <summary>
    /// Gives the namespace its eth0 and the pod IP: a veth pair made with the first free link of the pod CIDR. The
    /// machine-side name carries the link's index, so two sandboxes on one machine never take the same addresses
    /// (creating an interface whose name exists fails, and the next index is tried).
    /// </summary>
    private async Task LinkAsync(CancellationToken cancellationToken)
    {
        var range = Range;
        var first = Random.Shared.Next(range.Capacity);
        for (var attempt = 0; attempt < range.Capacity; attempt++)
        {
            var index = (first + attempt) % range.Capacity;
            var host = HostInterfacePrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                await RunAsync("ip", ["link", "add", host, "type", "veth", "peer", "name", "eth0", "netns", Name], cancellationToken);
            }
            catch (IOException e) when (e.Message.Contains("File exists", StringComparison.Ordinal))
            {
                continue;
            }

            var (hostIp, podIp) = range.Link(index);
            await RunAsync("ip", ["addr", "add", $"{hostIp}/30", "dev", host], cancellationToken);
            await RunAsync("ip", ["link", "set", host, "up"], cancellationToken);
            await RunAsync("ip", ["-n", Name, "addr", "add", $"{podIp}/30", "dev", "eth0"], cancellationToken);
            await RunAsync("ip", ["-n", Name, "link", "set", "eth0", "up"], cancellationToken);
            (HostIp, PodIp) = (hostIp, podIp);
            return;
        }

        throw new IOException($"every link of the pod CIDR {range} is in use; delete pods or stale namespaces (ip netns list)");
    }

    /// <summary>Listens on the namespace's <paramref name="address"/>:<paramref name="port"/> and relays each connection to the machine's 127.0.0.1:<paramref name="hostPort"/>.</summary>
    private void RelayToHost(IPAddress address, int port, int hostPort)
    {
        var listener = ListenInsideNamespace(address, port);
        _listeners.Add(listener);
        _ = AcceptLoopAsync(listener, hostPort, _stopping.Token);
    }

    private Socket ListenInsideNamespace(IPAddress address, int port) =>
        InsideNamespace($"listen on {address}:{port}", () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(128);
            return socket;
        });

    /// <summary>
    /// A TCP socket of the namespace, not yet connected: connecting it reaches the pod's own loopback, as the
    /// kubelet's httpGet and tcpSocket probes reach a pod's IP.
    /// </summary>
    public Socket CreateSocket() =>
        InsideNamespace("create a socket", () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

    /// <summary>
    /// A socket belongs to the network namespace of the thread that creates it. A short-lived thread enters the
    /// namespace, creates (and binds) the socket, and ends; the socket stays in the namespace and is served from
    /// ordinary threads, whose other connections are made in the machine's namespace.
    /// </summary>
    private Socket InsideNamespace(string what, Func<Socket> create)
    {
        Socket? created = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path.Combine("/var/run/netns", Name));
                if (SetNamespace((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new IOException($"entering network namespace {Name} failed (errno {Marshal.GetLastPInvokeError()})");
                }

                created = create();
            }
            catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = "pod-network-socket" };
        thread.Start();
        thread.Join();
        return created ?? throw new IOException($"cannot {what} in network namespace {Name}: {failure?.Message}", failure);
    }

    private async Task AcceptLoopAsync(Socket listener, int port, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket inside;
            try
            {
                inside = await listener.AcceptAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = RelayAsync(inside, port, stopping);
        }
    }

    private async Task RelayAsync(Socket inside, int port, CancellationToken stopping)
    {
        using var insideStream = new NetworkStream(inside, ownsSocket: true);
        using var outside = new TcpClient();
        try
        {
            await outside.ConnectAsync(IPAddress.Loopback, port, stopping);
            var outsideStream = outside.GetStream();
            await Task.WhenAll(
                PumpAsync(insideStream, outsideStream, outside.Client, stopping),
                PumpAsync(outsideStream, insideStream, inside, stopping));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            LogRelayEnded(_logger, Name, port, e.Message);
        }
    }

    /// <summary>Copies one direction and passes the end of the stream on as a half-close.</summary>
    private static async Task PumpAsync(Stream from, Stream to, Socket toSocket, CancellationToken stopping)
    {
        await from.CopyToAsync(to, stopping);
        toSocket.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        try
        {
            await RunAsync("ip", ["netns", "del", Name], CancellationToken.None);
        }
        catch (IOException e)
        {
            LogDeleteFailed(_logger, Name, e.Message);
        }

        _stopping.Dispose();
    }

    private static async Task RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var command = $"{program} {string.Join(' ', arguments)}";
        await using var process = new LocalProcess(command, start, []);
        var run = await process.WaitAsync(CommandTimeout, cancellationToken);
        if (run.ExitCode != 0)
        {
            throw new IOException($"{command} failed with exit code {run.ExitCode}: {string.Join(' ', run.Log).Trim()}");
        }
    }

    private static bool IsRoot() =>
        File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal)
            && l.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[1] == "0");

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNamespace(int fd, int nsType);

    [LoggerMessage(1, LogLevel.Debug, "pod network {Network}: a relay to port {Port} ended: {Reason}")]
    private static partial void LogRelayEnded(ILogger logger, string network, int port, string reason);

    [LoggerMessage(2, LogLevel.Warning, "pod network {Network} could not be deleted: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string network, string reason);
}
