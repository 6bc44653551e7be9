using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Webhook.Certificates;
using AzureWorkloadIdentity.Webhook.Hosting;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using AzureWorkloadIdentity.Webhook.Tests.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>
/// The webhook process with its certificate rotation (local mode, real clock) against a sandbox
/// cluster, on ephemeral loopback ports.
/// </summary>
internal sealed class RotatingWebhook : IAsyncDisposable
{
    private readonly DirectoryInfo _certDir;
    private readonly HttpClient _plain = new() { Timeout = TimeSpan.FromSeconds(20) };

    private RotatingWebhook(WebApplication app, DirectoryInfo certDir, InMemoryServiceAccountLookup lookup)
    {
        App = app;
        _certDir = certDir;
        Lookup = lookup;
        var endpoints = app.Services.GetRequiredService<ListenerEndpoints>();
        ReadyUri = new Uri($"http://127.0.0.1:{endpoints.Port(Listener.Health)}/readyz");
        MutateUri = new Uri($"https://127.0.0.1:{endpoints.Port(Listener.Webhook)}{AzureWorkloadIdentity.Webhook.Admission.MutateEndpoint.Path}");
    }

    public WebApplication App { get; }

    public InMemoryServiceAccountLookup Lookup { get; }

    public Uri ReadyUri { get; }

    public Uri MutateUri { get; }

    /// <summary>The directory the webhook serves <c>tls.crt</c>/<c>tls.key</c> from.</summary>
    public string CertDir => _certDir.FullName;

    /// <summary>The certificate the webhook serves now (its own view; handshakes show what clients see).</summary>
    public X509Certificate2? Served => App.Services.GetRequiredService<AzureWorkloadIdentity.Webhook.Tls.ServingCertificate>().Certificate;

    public CertificateRotationState State => App.Services.GetRequiredService<CertificateRotationState>();

    /// <summary>Starts the webhook; <paramref name="rotation"/> adds <c>CertificateRotation:*</c> settings.</summary>
    public static async Task<RotatingWebhook> StartAsync(SandboxCluster cluster, IReadOnlyDictionary<string, string> rotation)
    {
        var certDir = Directory.CreateTempSubdirectory("wi-rotating-");
        var settings = new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = "tenant",
            ["POD_NAMESPACE"] = "wi-system",
            ["CertificateRotation:ServiceName"] = "wi-webhook",
            ["CertificateRotation:SecretName"] = "wi-cert",
            ["CertificateRotation:WebhookConfigurationName"] = "wi-mwc",
            ["CertificateRotation:WriteCertificateFiles"] = "true",
        };
        foreach (var (key, value) in rotation)
        {
            settings[$"{CertificateRotationOptions.SectionName}:{key}"] = value;
        }

        string[] args = ["--port", "0", "--health-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--webhook-cert-dir", certDir.FullName, "--log-level", "warning"];
        var lookup = new InMemoryServiceAccountLookup();
        var app = WebhookApplication.Build(args, settings, services =>
        {
            services.AddSingleton<IServiceAccountLookup>(lookup);
            services.AddSingleton(cluster.Api);
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        return new RotatingWebhook(app, certDir, lookup);
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await _plain.GetAsync(ReadyUri, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>Polls a condition, bounded by the token; on timeout says what the webhook reported. No timing is asserted.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        try
        {
            while (!await condition())
            {
                await Task.Delay(100, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            using var readiness = await _plain.GetAsync(ReadyUri, CancellationToken.None);
            throw new TimeoutException(
                $"condition not met; /readyz {(int)readiness.StatusCode}: {await readiness.Content.ReadAsStringAsync(CancellationToken.None)}; " +
                $"rotation error: {State.LastError ?? "none"}; files: {string.Join(", ", _certDir.GetFiles().Select(f => f.Name))}");
        }
    }

    /// <summary>The thumbprint of the certificate the webhook presents in a new TLS handshake.</summary>
    public async Task<string> ServedThumbprintAsync(CancellationToken cancellationToken)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, MutateUri.Port, cancellationToken);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "wi-webhook.wi-system.svc" }, cancellationToken);
        using var certificate = new X509Certificate2(ssl.RemoteCertificate!);
        return certificate.Thumbprint;
    }

    public async ValueTask DisposeAsync()
    {
        _plain.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
        _certDir.Delete(recursive: true);
    }
}
