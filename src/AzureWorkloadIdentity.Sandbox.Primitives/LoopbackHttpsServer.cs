using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace AzureWorkloadIdentity.Sandbox.Primitives;

/// <summary>
/// One sandbox stand-in: a minimal Kestrel app on 127.0.0.1 (port 0 = any free port) serving HTTPS with the sandbox
/// certificate, HTTP/1.1 and HTTP/2. Each stand-in has its own origin, as each Azure service has its own host.
/// </summary>
public sealed class LoopbackHttpsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHttpsServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>The server's origin with a trailing slash, e.g. <c>https://127.0.0.1:40123/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>
    /// Builds, maps and starts a server; <paramref name="limits"/> adjusts Kestrel (e.g. the body size limit) and
    /// <paramref name="https"/> the TLS options after the server certificate is set (e.g. to ask for client certificates).
    /// </summary>
    public static async Task<LoopbackHttpsServer> StartAsync(
        SandboxTls tls, Action<WebApplication> map, int port = 0, CancellationToken cancellationToken = default,
        Action<KestrelServerLimits>? limits = null, Action<HttpsConnectionAdapterOptions>? https = null)
    {
        ArgumentNullException.ThrowIfNull(tls);
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("SANDBOX_LOG") is { Length: > 0 })
        {
            // Troubleshooting aid: the stand-ins' own request errors on stderr.
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            limits?.Invoke(kestrel.Limits);
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(options =>
                {
                    options.ServerCertificate = tls.ServerCertificate;
                    https?.Invoke(options);
                });
            });
        });
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var bound = new Uri(address);
        return new LoopbackHttpsServer(app, new Uri($"https://127.0.0.1:{bound.Port}/"));
    }

    /// <summary>Stops listening (requests in flight finish); <see cref="DisposeAsync"/> releases the rest.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
