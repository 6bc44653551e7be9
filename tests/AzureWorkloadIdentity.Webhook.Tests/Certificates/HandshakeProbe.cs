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
    private readonly SandboxCluster cluster;
    private readonly int port;
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;
    private readonly List<string> failures = [];
    private int succeeded;

    public HandshakeProbe(SandboxCluster cluster, int port)
    {
        this.cluster = cluster;
        this.port = port;
        running = Task.Run(RunAsync);
    }

    public int Succeeded => Volatile.Read(ref succeeded);

    /// <summary>Stops probing; returns the successes and a description of every failed handshake.</summary>
    public async Task<(int Succeeded, IReadOnlyList<string> Failures)> StopAsync()
    {
        await stop.CancelAsync();
        await running;
        lock (failures)
        {
            return (succeeded, [.. failures]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            string? rejected = null;
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port, stop.Token);
                await using var ssl = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) => Verify(certificate, out rejected));
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = ServiceName }, stop.Token);
                Interlocked.Increment(ref succeeded);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is System.Security.Authentication.AuthenticationException or IOException or SocketException)
            {
                lock (failures)
                {
                    failures.Add($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {rejected ?? exception.Message}");
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
        var configuration = cluster.Client.AdmissionregistrationV1.ReadMutatingWebhookConfiguration("wi-mwc");
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
