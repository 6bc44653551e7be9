using System.Collections.Concurrent;
using AzureWorkloadIdentity.Sandbox.Primitives;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Oidc;

/// <summary>A loopback HTTPS server whose paths answer what a test sets: a good issuer, or a broken one.</summary>
internal sealed class IssuerServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (int Status, string Body, string? Location)> _routes = new(StringComparer.Ordinal);
    private readonly LoopbackHttpsServer _server;

    private IssuerServer(LoopbackHttpsServer server, SandboxTls tls)
    {
        _server = server;
        Tls = tls;
    }

    public SandboxTls Tls { get; }

    /// <summary>The issuer URL (with a trailing slash) under a path, as a blob container's.</summary>
    public string Issuer => new Uri(_server.BaseUri, "account/oidc-test/").ToString();

    public static async Task<IssuerServer> StartAsync()
    {
        var tls = SandboxTls.Create();
        IssuerServer? self = null;
        var server = await LoopbackHttpsServer.StartAsync(tls, app => app.Run(context => self!.AnswerAsync(context)));
        self = new IssuerServer(server, tls);
        return self;
    }

    public void Set(string path, string body, int status = 200, string? location = null) => _routes[path] = (status, body, location);

    public void Remove(string path) => _routes.TryRemove(path, out _);

    /// <summary>Serves the documents azwi would make for <see cref="Issuer"/> (or <paramref name="documentIssuer"/>) and <paramref name="jwks"/>.</summary>
    public void ServeIssuer(string jwks, string? documentIssuer = null)
    {
        var issuer = documentIssuer ?? Issuer;
        Set("/account/oidc-test/.well-known/openid-configuration", AzureWorkloadIdentity.Cli.Commands.Oidc.DiscoveryDocumentWriter.Write(issuer, Issuer + "openid/v1/jwks", ["RS256"]));
        Set("/account/oidc-test/openid/v1/jwks", jwks);
    }

    private async Task AnswerAsync(HttpContext context)
    {
        if (!_routes.TryGetValue(context.Request.Path.Value ?? string.Empty, out var route))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.StatusCode = route.Status;
        if (route.Location is not null)
        {
            context.Response.Headers.Location = route.Location;
        }

        await context.Response.WriteAsync(route.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Tls.Dispose();
    }
}
