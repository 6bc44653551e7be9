using System.Net;
using AzureWorkloadIdentity.Sandbox.Entra;
using AzureWorkloadIdentity.Sandbox.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AzureWorkloadIdentity.Sandbox.Tests.Graph;

/// <summary>A Kestrel app on 127.0.0.1 with an ephemeral port and the sandbox's TLS certificate, as the host runs them.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The origin with a trailing slash, e.g. <c>https://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    public static async Task<LoopbackServer> StartAsync(SandboxTls tls, Action<IEndpointRouteBuilder> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(tls.ServerCertificate)));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// One local CA and server certificate, and one Entra token issuer (signing key), per test class: making RSA keys is
/// the slow part. The tests' tenant is <see cref="GraphSandbox.TenantId"/>.
/// </summary>
public sealed class TlsFixture : IDisposable
{
    public SandboxTls Tls { get; } = SandboxTls.Create();

    public AccessTokenIssuer Tokens { get; } = new(GraphSandbox.TenantId);

    public void Dispose()
    {
        Tls.Dispose();
        Tokens.Dispose();
    }
}
