using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization.Metadata;
using AzureWorkloadIdentity.Sandbox.Primitives;
using AzureWorkloadIdentity.Webhook.KubernetesApi;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AzureWorkloadIdentity.Webhook.Tests.KubernetesApi;

/// <summary>
/// The watch the webhook reads itself, against a plain server that sends exactly
/// the lines under test, over HTTPS. The sandbox API server's watches are covered by the service-account cache tests.
/// </summary>
public sealed class KubernetesWatchTests
{
    private const int Timeout = 30_000;

    private static JsonTypeInfo<V1ServiceAccount> Accounts => KubernetesApiJsonContext.Default.V1ServiceAccount;

    [Fact(Timeout = Timeout)]
    public async Task WatchAsync_StreamsEvents_ReportsMalformedLines_AndThrowsOnErrorEvent()
    {
        await using var server = await RawServer.StartAsync(HttpStatusCode.OK,
            """{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"ns","resourceVersion":"5"}}}""",
            "",
            "not json",
            """{"type":"SURPRISE","object":{}}""",
            """{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"7"}}}""",
            """{"type":"DELETED","object":{"metadata":{"name":"a","namespace":"ns","resourceVersion":"8"}}}""",
            """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (8)","reason":"Expired","code":410}}""");
        using var client = server.Client();
        var malformed = new List<Exception>();
        var seen = new List<(WatchEventType, string?)>();

        var error = await Assert.ThrowsAsync<KubernetesException>(async () =>
        {
            await foreach (var (type, account) in client.WatchAsync(
                "api/v1/serviceaccounts", Accounts, new Dictionary<string, string?> { ["resourceVersion"] = "1" }, malformed.Add))
            {
                seen.Add((type, account.Metadata?.ResourceVersion));
            }
        });

        Assert.Equal([(WatchEventType.Added, "5"), (WatchEventType.Bookmark, "7"), (WatchEventType.Deleted, "8")], seen);
        Assert.Equal(410, error.Status.Code);
        Assert.Equal(2, malformed.Count);
        Assert.All(malformed, exception => Assert.StartsWith("watch event is not usable", exception.Message, StringComparison.Ordinal));
        Assert.Contains("SURPRISE", malformed[1].Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task WatchAsync_SendsCredentialsAndQuery()
    {
        await using var server = await RawServer.StartAsync(HttpStatusCode.OK);
        using var client = server.Client();

        await foreach (var _ in client.WatchAsync("/api/v1/serviceaccounts", Accounts, new Dictionary<string, string?>
        {
            ["fieldSelector"] = "metadata.name=wi mwc&x",
            ["resourceVersion"] = null,
            ["timeoutSeconds"] = "300",
        }))
        {
            Assert.Fail("the server sent no events");
        }

        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer test-token", request.Authorization);
        Assert.Equal("/api/v1/serviceaccounts", request.Path);
        Assert.Equal("?watch=true&fieldSelector=metadata.name%3Dwi%20mwc%26x&timeoutSeconds=300", request.Query);
    }

    [Fact(Timeout = Timeout)]
    public async Task WatchAsync_RefusedWatch_ThrowsWithTheStatusCode()
    {
        await using var server = await RawServer.StartAsync(HttpStatusCode.Forbidden,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403}""");
        using var client = server.Client();

        var error = await Assert.ThrowsAsync<HttpOperationException>(async () =>
        {
            await foreach (var _ in client.WatchAsync("api/v1/serviceaccounts", Accounts, new Dictionary<string, string?>()))
            {
                Assert.Fail("a refused watch has no events");
            }
        });

        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
        Assert.Contains("Forbidden", error.Response.Content, StringComparison.Ordinal);
    }

    private sealed record SeenRequest(string Path, string Query, string? Authorization);

    /// <summary>
    /// A sandbox HTTPS stand-in that answers every GET with a status and the given lines (newline-terminated), then
    /// ends the response; the client trusts the sandbox CA, as the webhook trusts a cluster's.
    /// </summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly SandboxTls _tls;
        private LoopbackHttpsServer _server = null!;

        private RawServer(SandboxTls tls) => _tls = tls;

        public List<SeenRequest> Requests { get; } = [];

        public static async Task<RawServer> StartAsync(HttpStatusCode status, params string[] lines)
        {
            var raw = new RawServer(SandboxTls.Create());
            raw._server = await LoopbackHttpsServer.StartAsync(raw._tls, app => app.MapGet("/{**path}", async (HttpContext context) =>
            {
                lock (raw.Requests)
                {
                    raw.Requests.Add(new SeenRequest(context.Request.Path, context.Request.QueryString.Value ?? "", context.Request.Headers.Authorization));
                }

                context.Response.StatusCode = (int)status;
                context.Response.ContentType = "application/json";
                foreach (var line in lines)
                {
                    await context.Response.WriteAsync(line + "\n");
                    await context.Response.Body.FlushAsync();
                }
            }));
            return raw;
        }

        public KubernetesApiClient Client() => new(new KubernetesClientConfiguration
        {
            Host = _server.BaseUri.ToString(),
            AccessToken = "test-token",
            SslCaCerts = [X509CertificateLoader.LoadCertificate(_tls.Authority.Certificate.RawData)],
        });

        public async ValueTask DisposeAsync()
        {
            await _server.DisposeAsync();
            _tls.Dispose();
        }
    }
}
