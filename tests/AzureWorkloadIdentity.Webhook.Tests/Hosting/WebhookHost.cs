using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Webhook.Hosting;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

/// <summary>The webhook running in-process on ephemeral loopback ports, with a test CA and an in-memory lookup.</summary>
public sealed class WebhookHost : IAsyncDisposable
{
    private WebhookHost(WebApplication app, TestCertificates certificates, InMemoryServiceAccountLookup lookup)
    {
        App = app;
        Certificates = certificates;
        Lookup = lookup;
        var endpoints = app.Services.GetRequiredService<ListenerEndpoints>();
        WebhookUri = new Uri($"https://127.0.0.1:{endpoints.Port(Listener.Webhook)}");
        HealthUri = new Uri($"http://127.0.0.1:{endpoints.Port(Listener.Health)}");
        MetricsUri = new Uri($"http://127.0.0.1:{endpoints.Port(Listener.Metrics)}");
        Client = new HttpClient(CreateHandler(certificates.Authority.Certificate))
        {
            BaseAddress = WebhookUri,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
            Timeout = TimeSpan.FromSeconds(20),
        };
        PlainClient = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
    }

    public WebApplication App { get; }

    public TestCertificates Certificates { get; }

    public InMemoryServiceAccountLookup Lookup { get; }

    public Uri WebhookUri { get; }

    public Uri HealthUri { get; }

    public Uri MetricsUri { get; }

    /// <summary>HTTPS client trusting only the test CA, preferring HTTP/2.</summary>
    public HttpClient Client { get; }

    public HttpClient PlainClient { get; }

    /// <summary>Starts a webhook; with <paramref name="inMemoryLookup"/> false it uses the real service-account cache (pass --kubeconfig).</summary>
    public static async Task<WebhookHost> StartAsync(string[]? extraArgs = null, bool writeCertificate = true, bool inMemoryLookup = true)
    {
        var certificates = new TestCertificates();
        if (writeCertificate)
        {
            certificates.WriteServing();
        }

        var lookup = new InMemoryServiceAccountLookup();
        string[] args =
        [
            "--port", "0", "--health-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
            "--webhook-cert-dir", certificates.Directory, "--proxy-image-registry", "registry.example/azwi",
            "--proxy-image-version", "v9.9.9", "--log-level", "warning", "--disable-cert-rotation", .. extraArgs ?? [],
        ];
        var environment = new Dictionary<string, string?> { ["AZURE_TENANT_ID"] = "tenant-config", ["AZURE_ENVIRONMENT"] = null };
        var app = WebhookApplication.Build(args, environment, inMemoryLookup ? services => services.AddSingleton<IServiceAccountLookup>(lookup) : null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        return new WebhookHost(app, certificates, lookup);
    }

    /// <summary>Waits (at most 30 s) until <c>/readyz</c> answers 200.</summary>
    public async Task WaitReadyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await PlainClient.GetAsync(new Uri(HealthUri, "/readyz"), timeout.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Opens a TLS connection to the webhook and returns the certificate it presents.</summary>
    public async Task<X509Certificate2> ServedCertificateAsync(CancellationToken cancellationToken)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, WebhookUri.Port, cancellationToken);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, cancellationToken);
        return new X509Certificate2(ssl.RemoteCertificate!);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        PlainClient.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
        Certificates.Dispose();
    }

    private static SocketsHttpHandler CreateHandler(X509Certificate2 authority) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            },
        },
    };
}
