using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AzureWorkloadIdentity.Webhook.Certificates;
using AzureWorkloadIdentity.Webhook.Hosting;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using AzureWorkloadIdentity.Webhook.Tests.Hosting;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>
/// The webhook process composed with <c>AddCertificateRotation</c> against the sandbox API in local mode, on the
/// real clock: it becomes ready on its own certificate, and renewals (made frequent by short lifetimes) reach the
/// TLS listener while a client keeps calling, with no failed handshake.
/// </summary>
public sealed class CertificateRotationEndToEndTests : IAsyncLifetime
{
    private readonly DirectoryInfo certDir = Directory.CreateTempSubdirectory("wi-e2e-certs-");
    private SandboxCluster cluster = null!;
    private WebApplication app = null!;
    private HttpClient plain = null!;
    private Uri healthUri = null!;
    private Uri webhookUri = null!;

    public async Task InitializeAsync()
    {
        cluster = await SandboxCluster.StartAsync(webhooks: 1);
        var settings = new Dictionary<string, string?>
        {
            ["AZURE_TENANT_ID"] = "tenant",
            ["POD_NAMESPACE"] = "wi-system",
            ["CertificateRotation:ServiceName"] = "wi-webhook",
            ["CertificateRotation:SecretName"] = "wi-cert",
            ["CertificateRotation:WebhookConfigurationName"] = "wi-mwc",
            ["CertificateRotation:WriteCertificateFiles"] = "true",
            ["CertificateRotation:ReconcileInterval"] = "00:00:00.500",
            // Certificates are backdated by an hour, so a 2 h lifetime leaves 1 h: renewal is due a few seconds
            // after each issue.
            ["CertificateRotation:ServerValidity"] = "02:00:00",
            ["CertificateRotation:ServerRenewBefore"] = "00:59:57",
        };
        string[] args = ["--port", "0", "--health-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--webhook-cert-dir", certDir.FullName, "--log-level", "warning"];
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings)
            .AddInMemoryCollection(WebhookCommandLineValues(args))
            .Build();
        app = WebhookApplication.Build(args, settings, services =>
        {
            services.AddSingleton<IServiceAccountLookup>(new InMemoryServiceAccountLookup());
            services.AddSingleton(cluster.Client);
            services.AddCertificateRotation(configuration);
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        var endpoints = app.Services.GetRequiredService<ListenerEndpoints>();
        healthUri = new Uri($"http://127.0.0.1:{endpoints.Port(Listener.Health)}/readyz");
        webhookUri = new Uri($"https://127.0.0.1:{endpoints.Port(Listener.Webhook)}{AzureWorkloadIdentity.Webhook.Admission.MutateEndpoint.Path}");
        plain = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
    }

    [Fact(Timeout = 90_000)]
    public async Task Run_RotationInLocalMode_ReadyAndRenewalWithoutFailedHandshake()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await PumpUntilAsync(async () => (await plain.GetAsync(healthUri, timeout.Token)).StatusCode == HttpStatusCode.OK, timeout.Token);
        var first = await ServedThumbprintAsync(timeout.Token);
        var secret = await cluster.SecretAsync();
        Assert.Equal(first, ServerThumbprint(secret));

        using var client = new HttpClient(TrustingSecretCa()) { Timeout = TimeSpan.FromSeconds(20) };
        using var stopCalls = new CancellationTokenSource();
        var calls = Task.Run(async () =>
        {
            var (succeeded, failures) = (0, new List<string>());
            while (!stopCalls.IsCancellationRequested)
            {
                try
                {
                    // A fresh connection each time, so every call is a TLS handshake.
                    using var request = new HttpRequestMessage(HttpMethod.Post, webhookUri) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
                    request.Headers.ConnectionClose = true;
                    using var response = await client.SendAsync(request, timeout.Token);
                    succeeded++;
                }
                catch (HttpRequestException exception)
                {
                    failures.Add(exception.InnerException?.Message ?? exception.Message);
                }
            }

            return (succeeded, failures);
        });

        // Two renewals reach the listener while the client calls.
        await PumpUntilAsync(async () => await ServedThumbprintAsync(timeout.Token) != first, timeout.Token);
        var second = await ServedThumbprintAsync(timeout.Token);
        await PumpUntilAsync(async () => await ServedThumbprintAsync(timeout.Token) is var now && now != first && now != second, timeout.Token);
        await stopCalls.CancelAsync();
        var (succeeded, failures) = await calls;

        Assert.True(succeeded > 0, "the client reached the webhook");
        Assert.Empty(failures);
    }

    public async Task DisposeAsync()
    {
        plain?.Dispose();
        if (app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }

        await cluster.DisposeAsync();
        certDir.Delete(recursive: true);
    }

    private static Dictionary<string, string?> WebhookCommandLineValues(string[] args) => AzureWorkloadIdentity.Webhook.Configuration.WebhookCommandLine.Parse(args).Values;

    private static string ServerThumbprint(k8s.Models.V1Secret secret)
    {
        using var certificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(secret.Data["tls.crt"]));
        return certificate.Thumbprint;
    }

    // Polls a condition, bounded by the token; on timeout says what the webhook reported. No timing is asserted.
    private async Task PumpUntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
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
            using var readiness = await plain.GetAsync(healthUri, CancellationToken.None);
            var state = app.Services.GetRequiredService<CertificateRotationState>();
            throw new TimeoutException(
                $"condition not met; /readyz {(int)readiness.StatusCode}: {await readiness.Content.ReadAsStringAsync(CancellationToken.None)}; " +
                $"rotation error: {state.LastError ?? "none"}; files: {string.Join(", ", certDir.GetFiles().Select(f => f.Name))}");
        }
    }

    private async Task<string> ServedThumbprintAsync(CancellationToken cancellationToken)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, webhookUri.Port, cancellationToken);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "wi-webhook.wi-system.svc" }, cancellationToken);
        using var certificate = new X509Certificate2(ssl.RemoteCertificate!);
        return certificate.Thumbprint;
    }

    // Validates as the API server does: the chain must end in the caBundle of the webhook configuration (read
    // for each handshake) and the name must be the service's.
    private SocketsHttpHandler TrustingSecretCa() => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            TargetHost = "wi-webhook.wi-system.svc",
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                var bundle = cluster.Client.AdmissionregistrationV1.ReadMutatingWebhookConfiguration("wi-mwc").Webhooks[0].ClientConfig.CaBundle;
                using var served = new X509Certificate2(certificate);
                return served.MatchesHostname("wi-webhook.wi-system.svc", allowWildcards: false, allowCommonName: false)
                    && CertificateInspector.ChainsTo(served, CertificateInspector.ParseBundle(Encoding.ASCII.GetString(bundle)), DateTimeOffset.UtcNow);
            },
        },
        PooledConnectionLifetime = TimeSpan.Zero,
    };
}
