using Azure.Core;
using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.Entra;
using AzureWorkloadIdentity.Sandbox.Graph;
using AzureWorkloadIdentity.Sandbox.Primitives;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;

namespace AzureWorkloadIdentity.Sandbox.Tests.Graph;

/// <summary>The sandbox's Graph on a loopback port, and the real Graph SDK pointed at it as documented.</summary>
internal sealed class GraphSandbox : IAsyncDisposable
{
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private readonly SandboxTls _tls;

    private GraphSandbox(SandboxTls tls, SandboxDirectory directory, AccessTokenIssuer tokens, LoopbackHttpsServer server, GraphServiceClient client)
    {
        _tls = tls;
        Tokens = tokens;
        Directory = directory;
        Server = server;
        Client = client;
    }

    public SandboxDirectory Directory { get; }

    /// <summary>The token issuer and validator Graph validates with (the fixture's, shared by the class).</summary>
    public AccessTokenIssuer Tokens { get; }

    public LoopbackHttpsServer Server { get; }

    public GraphServiceClient Client { get; }

    public Uri GraphBaseUrl => new(Server.BaseUri, "v1.0");

    /// <param name="credential">Given the sandbox's token issuer, the credential the client uses; real issued tokens by default.</param>
    public static async Task<GraphSandbox> StartAsync(
        TlsFixture fixture, Func<AccessTokenIssuer, TokenCredential>? credential = null, SandboxDirectory? directory = null)
    {
        var (tls, tokens) = (fixture.Tls, fixture.Tokens);
        directory ??= new SandboxDirectory(TenantId, "0b1f6471-1bf0-4dda-aec3-cb9272f09590");
        var server = await LoopbackHttpsServer.StartAsync(tls, endpoints => endpoints.MapGraph(directory, tokens));
        var client = CreateClient(tls, server, credential?.Invoke(tokens) ?? new IssuedTokenCredential(tokens));
        return new GraphSandbox(tls, directory, tokens, server, client);
    }

    /// <summary>
    /// The documented way to point the SDK at a non-Graph host: allow the host explicitly (otherwise no token is sent)
    /// and pass the scope (otherwise it is derived from the host, without the port).
    /// </summary>
    public static GraphServiceClient CreateClient(SandboxTls tls, LoopbackHttpsServer server, TokenCredential credential)
    {
        var authentication = new AzureIdentityAuthenticationProvider(
            credential, ["127.0.0.1"], null, true, "https://graph.microsoft.com/.default");
        var http = GraphClientFactory.Create(finalHandler: tls.CreateTrustingHandler());
        return new GraphServiceClient(http, authentication, new Uri(server.BaseUri, "v1.0").ToString());
    }

    /// <summary>A plain client for what the SDK cannot send (no token at all).</summary>
    public HttpClient CreateHttpClient() => new(_tls.CreateTrustingHandler()) { BaseAddress = Server.BaseUri };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
