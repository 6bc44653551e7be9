using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Webhook.Certificates;
using k8s;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>
/// Opens TLS handshakes against one replica, one after the other, each verified as kube-apiserver verifies a
/// webhook: the served chain must end in the caBundle of every webhook entry, read from the API server during
/// the handshake (the live one at that moment), and the name must be the Service's.
/// </summary>
internal sealed class HandshakeProbe : IAsyncDisposable
{
    private const string ServiceName = "wi-webhook.wi-system.svc";
    private readonly SandboxCluster _cluster;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly List<string> _failures = [];
    private int _succeeded;

    public HandshakeProbe(SandboxCluster cluster, int port)
    {
        _cluster = cluster;
        _port = port;
        _running = Task.Run(RunAsync);
    }

    public int Succeeded => Volatile.Read(ref _succeeded);

    /// <summary>Stops probing; returns the successes and a description of every failed handshake.</summary>
    public async Task<(int Succeeded, IReadOnlyList<string> Failures)> StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
        lock (_failures)
        {
            return (_succeeded, [.. _failures]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            string? rejected = null;
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, _port, _stop.Token);
                await using var ssl = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) => Verify(certificate, out rejected));
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = ServiceName }, _stop.Token);
                Interlocked.Increment(ref _succeeded);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is System.Security.Authentication.AuthenticationException or IOException or SocketException)
            {
                lock (_failures)
                {
                    _failures.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {rejected ?? exception.Message}");
                }
            }
        }
    }

    private bool Verify(X509Certificate? certificate, out string? rejected)
    {
        if (certificate is null)
        {
            rejected = "no certificate served";
            return false;
        }

        using var served = new X509Certificate2(certificate);
        var configuration = _cluster.Client.AdmissionregistrationV1.ReadMutatingWebhookConfiguration("wi-mwc");
        var bundles = CertificateRotator.CaBundles(configuration);
        var untrusting = bundles.FirstOrDefault(bundle => !CertificateInspector.ChainsTo(served, bundle, DateTimeOffset.UtcNow));
        rejected = !served.MatchesHostname(ServiceName, allowWildcards: false, allowCommonName: false)
            ? $"certificate {served.Thumbprint} is not for {ServiceName}"
            : bundles.Count == 0 || untrusting is not null
                ? $"certificate {served.Thumbprint} does not chain to the live caBundle [{string.Join(", ", (untrusting ?? []).Select(ca => ca.Thumbprint))}]"
                : null;
        return rejected is null;
    }
}
