using System.Globalization;
using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubelet.Probes;

/// <summary>
/// Runs one probe of a container once, as the kubelet's prober does: <c>exec</c> in the container (through the
/// container runner), <c>httpGet</c> (a status from 200 to 399 succeeds; the server's certificate is not checked, as
/// the kubelet does not) and <c>tcpSocket</c> (the connection opens) against the pod's address. When the pod has its
/// own network namespace the connection is made from a socket of that namespace, so the pod's loopback is reached.
/// </summary>
public sealed class ContainerProber(IContainerRunner runner)
{
    /// <summary>Whether the probe succeeded within its <c>timeoutSeconds</c> (default 1 s), and if not, why.</summary>
    public async Task<ProbeResult> ProbeAsync(LocalPod pod, V1Container container, V1Probe probe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(probe);
        var timeout = TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds ?? 1));
        if (probe.Exec?.Command is { Count: > 0 } command)
        {
            var run = await runner.ExecAsync(pod, container.Name, command, timeout, cancellationToken);
            return run.ExitCode == 0 ? ProbeResult.Success
                : ProbeResult.Failure(run.Log.Count > 0 ? string.Join('\n', run.Log) : $"command {string.Join(' ', command)} exited with {run.ExitCode}");
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        var target = probe.HttpGet is { } get ? $"Get \"{Url(pod, get, Port(container, get.Port))}\""
            : probe.TcpSocket is { } socketAction ? $"dial tcp {socketAction.Host ?? pod.PodIp}:{Port(container, socketAction.Port)}"
            : null;
        try
        {
            if (probe.HttpGet is { } http)
            {
                return await HttpGetAsync(pod, container, http, bounded.Token);
            }

            if (probe.TcpSocket is { } tcp)
            {
                using var socket = await ConnectAsync(pod, tcp.Host, Port(container, tcp.Port), bounded.Token);
                return ProbeResult.Success;
            }
        }
        catch (Exception e) when (e is SocketException or HttpRequestException or IOException)
        {
            return ProbeResult.Failure($"{target}: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Failure($"{target}: timed out after {timeout.TotalSeconds:0.###}s");
        }

        throw new InvalidOperationException($"a probe of container \"{container.Name}\" has no exec, httpGet or tcpSocket handler; give it one");
    }

    private static async Task<ProbeResult> HttpGetAsync(LocalPod pod, V1Container container, V1HTTPGetAction http, CancellationToken cancellationToken)
    {
        var port = Port(container, http.Port);
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) => new NetworkStream(await ConnectAsync(pod, http.Host, port, token), ownsSocket: true),
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(pod, http, port));
        request.Headers.UserAgent.ParseAdd("kube-probe/1.31");
        foreach (var header in http.HttpHeaders ?? [])
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        return status is >= 200 and < 400 ? ProbeResult.Success : ProbeResult.Failure($"HTTP probe failed with statuscode: {status}");
    }

    private static string Url(LocalPod pod, V1HTTPGetAction http, int port)
    {
        var scheme = string.Equals(http.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        var path = string.IsNullOrEmpty(http.Path) ? "/" : http.Path.StartsWith('/') ? http.Path : "/" + http.Path;
        return $"{scheme}://{http.Host ?? pod.PodIp}:{port}{path}";
    }

    private static Task<Socket> ConnectAsync(LocalPod pod, string? host, int port, CancellationToken cancellationToken) =>
        PodSockets.ConnectAsync(pod, IPAddress.TryParse(host, out var parsed) ? parsed : IPAddress.Loopback, port, cancellationToken);

    /// <summary>A port given by number, or by the name of one of the container's ports.</summary>
    private static int Port(V1Container container, IntOrString port)
    {
        var value = port?.Value ?? string.Empty;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return (container.Ports ?? []).FirstOrDefault(p => p.Name == value)?.ContainerPort
            ?? throw new InvalidOperationException($"a probe of container \"{container.Name}\" names port \"{value}\", which the container does not declare; declare it in ports or use a number");
    }
}
