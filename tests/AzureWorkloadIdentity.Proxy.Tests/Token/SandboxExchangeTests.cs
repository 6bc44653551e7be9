using System.Net;
using System.Text.Json;
using AzureWorkloadIdentity.Proxy.Configuration;
using AzureWorkloadIdentity.Proxy.Token;
using AzureWorkloadIdentity.Sandbox.Entra;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.TestUtilities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Client;

namespace AzureWorkloadIdentity.Proxy.Tests.Token;

/// <summary>
/// The proxy's real MSAL exchange against the sandbox's Entra ID: a projected token minted by the sandbox issuer. The
/// tests share one sandbox (each registers its own application and starts its own proxy); the fault test puts Entra
/// ID back in order when it ends.
/// </summary>
public sealed class SandboxExchangeTests(SandboxExchangeTests.Sandbox sandbox) : IClassFixture<SandboxExchangeTests.Sandbox>
{
    private readonly SandboxHost _host = sandbox.Host;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TokenEndpoint_MatchingFederatedCredential_ReturnsSandboxAccessToken()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var appId = AddApplication(_host, "system:serviceaccount:default:proxy-sa");
        var tokenFile = WriteToken(_host, "proxy-sa");
        await using var proxy = await StartProxyAsync(_host, tokenFile, appId);

        using var response = await proxy.Client.SendAsync(Get("/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net"), cts.Token);
        var body = await response.Content.ReadAsStringAsync(cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(appId, json.RootElement.GetProperty("client_id").GetString());
        Assert.Equal("Bearer", json.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("expires_on").ValueKind);
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(json.RootElement.GetProperty("access_token").GetString());
        Assert.Equal("https://vault.azure.net", token.GetClaim("aud").Value.TrimEnd('/'));
        Assert.Equal(appId, token.GetClaim("appid").Value);
    }

    [Fact]
    public async Task TokenEndpoint_NoMatchingFederatedCredential_Returns400WithAadstsCode()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var appId = AddApplication(_host, "system:serviceaccount:default:someone-else");
        var tokenFile = WriteToken(_host, "proxy-sa");
        await using var proxy = await StartProxyAsync(_host, tokenFile, appId);

        using var response = await proxy.Client.SendAsync(Get("/metadata/identity/oauth2/token?resource=https://management.azure.com/"), cts.Token);
        var body = await response.Content.ReadAsStringAsync(cts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("invalid_client", json.RootElement.GetProperty("error").GetString());
        Assert.Contains("AADSTS700213", json.RootElement.GetProperty("error_description").GetString());
        Assert.DoesNotContain(File.ReadAllText(tokenFile), body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("unreadable")]
    public async Task TokenEndpoint_TokenFileMissingOrUnreadable_400NamingTheFile(string problem)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var appId = AddApplication(_host, "system:serviceaccount:default:proxy-sa");
        var tokenFile = Path.Combine(_host.WorkDirectory, "token-" + problem);
        if (problem == "unreadable")
        {
            // A folder where the file should be cannot be read, whoever runs the test (root reads any file).
            Directory.CreateDirectory(tokenFile);
        }

        await using var proxy = await StartProxyAsync(_host, tokenFile, appId);

        using var response = await proxy.Client.SendAsync(Get("/metadata/identity/oauth2/token?resource=https://vault.azure.net"), cts.Token);
        var body = await response.Content.ReadAsStringAsync(cts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("invalid_request", json.RootElement.GetProperty("error").GetString());
        var description = json.RootElement.GetProperty("error_description").GetString();
        Assert.Contains($"The federated token file {tokenFile} could not be read", description, StringComparison.Ordinal);
        Assert.Contains("projected service-account token volume", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenEndpoint_ExpiredProjectedToken_400WithAadsts700024()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var appId = AddApplication(_host, "system:serviceaccount:default:proxy-sa");
        var issued = _host.Directory.Time.GetUtcNow().AddHours(-3);
        var tokenFile = WriteToken(_host, "proxy-sa", issued);
        await using var proxy = await StartProxyAsync(_host, tokenFile, appId);

        using var response = await proxy.Client.SendAsync(Get("/metadata/identity/oauth2/token?resource=https://vault.azure.net"), cts.Token);
        var body = await response.Content.ReadAsStringAsync(cts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Contains("AADSTS700024", json.RootElement.GetProperty("error_description").GetString());
        Assert.DoesNotContain(File.ReadAllText(tokenFile).Trim(), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagedIdentityCredential_PointedAtProxy_GetsTheExchangedToken()
    {
        // This process has none of the federated-token variables, so Azure.Identity takes the IMDS path, and
        // AZURE_POD_IDENTITY_AUTHORITY_HOST sends it to the proxy instead of 169.254.169.254. No other test in this
        // assembly uses managed identity, so setting the variable for the process is contained.
        Assert.Null(Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE"));
        using var cts = new CancellationTokenSource(Timeout);
        var appId = AddApplication(_host, "system:serviceaccount:default:proxy-sa");
        await using var proxy = await StartProxyAsync(_host, WriteToken(_host, "proxy-sa"), appId);
        Environment.SetEnvironmentVariable("AZURE_POD_IDENTITY_AUTHORITY_HOST", proxy.Client.BaseAddress!.ToString());
        try
        {
            var credential = new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(appId));

            var token = await credential.GetTokenAsync(new Azure.Core.TokenRequestContext(["https://vault.azure.net/.default"]), cts.Token);

            var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token.Token);
            Assert.Equal("https://vault.azure.net", jwt.GetClaim("aud").Value);
            Assert.Equal(appId, jwt.GetClaim("appid").Value);
            Assert.True(token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(30));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AZURE_POD_IDENTITY_AUTHORITY_HOST", null);
        }
    }

    [Theory(Timeout = 240_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AzureIdentityJs_ManagedIdentityCredential_PointedAtProxy_GetsTheExchangedToken(bool withClientId)
    {
        var scripts = Path.Combine(AppContext.BaseDirectory, "Token", "js");
        await NodeScripts.EnsureInstalledAsync(scripts, "@azure/identity");
        var appId = AddApplication(_host, "system:serviceaccount:default:proxy-sa");
        await using var proxy = await StartProxyAsync(_host, WriteToken(_host, "proxy-sa"), appId);
        string[] arguments = withClientId ? ["get-mi-token.mjs", "https://vault.azure.net/.default", appId] : ["get-mi-token.mjs", "https://vault.azure.net/.default"];

        // The JavaScript SDK sends Metadata: true and a trailing slash on the path; without a client id the proxy
        // falls back to its AZURE_CLIENT_ID, as in the original project's second proxy scenario.
        var (exitCode, output) = await NodeScripts.RunAsync("node", scripts, arguments, new Dictionary<string, string>
        {
            ["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = proxy.Client.BaseAddress!.ToString().TrimEnd('/'),
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains($"token ok aud=https://vault.azure.net appid={appId}", output, StringComparison.Ordinal);
    }

    [Theory(Timeout = 120_000)]
    [InlineData(EntraFaultKind.Unreachable, HttpStatusCode.ServiceUnavailable)]
    [InlineData(EntraFaultKind.Slow, HttpStatusCode.ServiceUnavailable)]
    [InlineData(EntraFaultKind.ServerError, HttpStatusCode.ServiceUnavailable)]
    [InlineData(EntraFaultKind.Throttled, HttpStatusCode.TooManyRequests)]
    public async Task TokenEndpoint_EntraFails_ServesCachedTokensAnswersRetryableErrorsQuicklyAndRecovers(EntraFaultKind fault, HttpStatusCode status)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var appId = AddApplication(_host, "system:serviceaccount:default:proxy-sa");
        await using var proxy = await StartProxyAsync(_host, WriteToken(_host, "proxy-sa"), appId);
        const string cached = "/metadata/identity/oauth2/token?resource=https://vault.azure.net";
        const string uncached = "/metadata/identity/oauth2/token?resource=https://storage.azure.com";
        var before = await AccessTokenAsync(proxy, cached, cts.Token);
        using var reset = new FaultReset(_host);

        _host.EntraFaults.Delay = AzureWorkloadIdentity.Proxy.Token.TokenCache.DefaultCallerWait + TimeSpan.FromSeconds(3);
        _host.EntraFaults.Kind = fault;
        var stillServed = await AccessTokenAsync(proxy, cached, cts.Token);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var failed = await proxy.Client.SendAsync(Get(uncached), cts.Token);
        var waited = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var failedBody = await failed.Content.ReadAsStringAsync(cts.Token);

        Assert.Equal(before, stillServed);
        Assert.Equal(status, failed.StatusCode);
        Assert.NotNull(failed.Headers.RetryAfter?.Delta);
        using (var json = JsonDocument.Parse(failedBody))
        {
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetString()));
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error_description").GetString()));
        }

        // Quick: never the whole exchange time-out (20 s), which is longer than the SDKs wait for IMDS.
        Assert.True(waited < TimeSpan.FromSeconds(15), $"the error took {waited.TotalSeconds:0.0} s");

        // Recovery without restart: once Entra answers again (and a 429's Retry-After has passed) the token comes.
        _host.EntraFaults.Kind = EntraFaultKind.None;
        if (fault == EntraFaultKind.Throttled)
        {
            await Task.Delay(failed.Headers.RetryAfter!.Delta!.Value, cts.Token);
        }

        string? recovered = null;
        while (recovered is null)
        {
            using var response = await proxy.Client.SendAsync(Get(uncached), cts.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                recovered = await response.Content.ReadAsStringAsync(cts.Token);
            }
            else
            {
                await Task.Delay(200, cts.Token);
            }
        }

        Assert.Contains("access_token", recovered, StringComparison.Ordinal);
    }

    /// <summary>One sandbox for the class.</summary>
    public sealed class Sandbox : IAsyncLifetime
    {
        internal SandboxHost Host { get; private set; } = null!;

        public async Task InitializeAsync() => Host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero });

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    /// <summary>Entra ID back to normal when a fault test ends, passed or failed, so the shared sandbox serves the next test.</summary>
    private sealed class FaultReset(SandboxHost host) : IDisposable
    {
        public void Dispose()
        {
            host.EntraFaults.Kind = EntraFaultKind.None;
            host.EntraFaults.Delay = new EntraFaults().Delay;
        }
    }

    private static async Task<string> AccessTokenAsync(RunningProxy proxy, string pathAndQuery, CancellationToken cancellationToken)
    {
        using var response = await proxy.Client.SendAsync(Get(pathAndQuery), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    private static HttpRequestMessage Get(string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Add("Metadata", "true");
        return request;
    }

    private static string AddApplication(SandboxHost host, string subject) => host.AddApplication("proxy-test", subject);

    private static string WriteToken(SandboxHost host, string serviceAccount, DateTimeOffset? issuedAt = null) =>
        host.WriteServiceAccountToken("default", serviceAccount, issuedAt);

    private static async Task<RunningProxy> StartProxyAsync(SandboxHost host, string tokenFile, string clientId)
    {
        var options = new ProxyOptions
        {
            TenantId = host.Directory.TenantId,
            AuthorityHostUrl = host.AuthorityHost.ToString(),
            TokenFile = tokenFile,
            DefaultClientId = clientId,
            ImdsEndpoint = new Uri("http://127.0.0.1:9/"),
            ExchangeTimeout = TimeSpan.FromSeconds(20),
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<ITokenSource>(new MsalTokenSource(options, new TrustingFactory(new HttpClient(host.Tls.CreateTrustingHandler()))));
        builder.Services.AddImdsProxy(options);
        var app = builder.Build();
        app.MapImdsProxy();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningProxy(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    private sealed class TrustingFactory(HttpClient client) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => client;
    }

    private sealed record RunningProxy(WebApplication App, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.DisposeAsync();
        }
    }
}
