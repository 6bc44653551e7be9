using System.Net;
using System.Text.Json;
using AzureWorkloadIdentity.Proxy.Configuration;
using AzureWorkloadIdentity.Proxy.Token;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AzureWorkloadIdentity.Proxy.Tests.Token;

public sealed class TokenEndpointsTests
{
    private const string TokenPath = "/metadata/identity/oauth2/token";

    private static async Task<(WebApplication App, HttpClient Client, FakeTokenSource Source)> StartAsync(int imdsPort = 9, string? tokenFile = null)
    {
        if (tokenFile is null)
        {
            tokenFile = Path.GetTempFileName();
            await File.WriteAllTextAsync(tokenFile, "projected-token");
        }

        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var source = new FakeTokenSource(time);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<ITokenSource>(source);
        builder.Services.AddImdsProxy(new ProxyOptions
        {
            TenantId = "tenant",
            AuthorityHostUrl = "https://127.0.0.1:1/",
            TokenFile = tokenFile,
            DefaultClientId = "env-client",
            ImdsEndpoint = new Uri($"http://127.0.0.1:{imdsPort}/"),
            ExchangeTimeout = TimeSpan.FromSeconds(5),
        });
        var app = builder.Build();
        app.MapImdsProxy();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) }, source);
    }

    private static HttpRequestMessage Get(string pathAndQuery, bool metadata = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (metadata)
        {
            request.Headers.Add("Metadata", "true");
        }

        return request;
    }

    [Theory(Timeout = 20_000)]
    [InlineData(TokenPath)]
    [InlineData(TokenPath + "/")]
    [InlineData("/METADATA/identity/oauth2/token")]
    public async Task GetToken_ValidRequest_ImdsShapedStringJson(string path)
    {
        var (app, client, source) = await StartAsync();
        await using var _ = app;
        using var response = await client.SendAsync(Get(path + "?api-version=2018-02-01&resource=https://management.azure.com/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        foreach (var name in new[] { "access_token", "client_id", "expires_in", "ext_expires_in", "not_before", "resource", "token_type", "expires_on" })
        {
            Assert.Equal(JsonValueKind.String, root.GetProperty(name).ValueKind);
        }

        Assert.Equal("token-1", root.GetProperty("access_token").GetString());
        Assert.Equal("env-client", root.GetProperty("client_id").GetString());
        Assert.Equal("3600", root.GetProperty("expires_in").GetString());
        Assert.Equal("1800003600", root.GetProperty("expires_on").GetString());
        Assert.Equal("https://management.azure.com/", root.GetProperty("resource").GetString());
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal("https://management.azure.com//.default", source.LastScope);
    }

    [Fact(Timeout = 20_000)]
    public async Task GetToken_NoMetadataHeader_400ImdsBody()
    {
        var (app, client, source) = await StartAsync();
        await using var _ = app;
        using var response = await client.SendAsync(Get(TokenPath + "?resource=r", metadata: false));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"error\":\"invalid_request\",\"error_description\":\"Required metadata header not specified\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, source.Calls);
    }

    [Theory(Timeout = 20_000)]
    [InlineData(nameof(TokenExchangeFailure.Refused), HttpStatusCode.BadRequest, "invalid_client")]
    [InlineData(nameof(TokenExchangeFailure.Unavailable), HttpStatusCode.ServiceUnavailable, "service_unavailable")]
    [InlineData(nameof(TokenExchangeFailure.TimedOut), HttpStatusCode.ServiceUnavailable, "timeout")]
    [InlineData(nameof(TokenExchangeFailure.Throttled), HttpStatusCode.TooManyRequests, "too_many_requests")]
    public async Task GetToken_ExchangeFails_MapsToJsonError(string failureName, HttpStatusCode status, string error)
    {
        // By name: the product's types are internal, and a public test method cannot take one as a parameter.
        var failure = Enum.Parse<TokenExchangeFailure>(failureName);
        var (app, client, source) = await StartAsync();
        await using var _ = app;
        source.Failure = new TokenExchangeException(failure, "invalid_client", "AADSTS700213: No matching federated identity record found.")
        {
            RetryAfter = TimeSpan.FromSeconds(7),
        };
        using var response = await client.SendAsync(Get(TokenPath + "?resource=r"));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(
            failure switch { TokenExchangeFailure.Throttled => "7", TokenExchangeFailure.Refused => null, _ => "1" },
            response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        if (failure == TokenExchangeFailure.Refused)
        {
            Assert.Contains("AADSTS700213", json.RootElement.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = 20_000)]
    public async Task Probes_Answer200()
    {
        var (app, client, _) = await StartAsync();
        await using var __ = app;
        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
        Assert.Equal("ok", await client.GetStringAsync("/readyz"));
        Assert.Contains("azwi_proxy_token_requests_total", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact(Timeout = 20_000)]
    public async Task Readyz_TokenFileMissing_503NamingTheFile()
    {
        var (app, client, _) = await StartAsync(tokenFile: "/nonexistent/azure-identity-token");
        await using var __ = app;
        using var response = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("/nonexistent/azure-identity-token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
    }

    [Fact(Timeout = 20_000)]
    public async Task Probe_ReadyProxy_ExitsZero_NotReady_ExitsOneAfterBoundedAttempts()
    {
        var (app, client, _) = await StartAsync();
        await using var __ = app;
        var port = client.BaseAddress!.Port;
        using var error = new StringWriter();
        Assert.Equal(0, await AzureWorkloadIdentity.Proxy.Diagnostics.ProxyProbe.RunAsync(port, error));

        var (missing, missingClient, ___) = await StartAsync(tokenFile: "/nonexistent/token");
        await using var ____ = missing;
        Assert.Equal(1, await AzureWorkloadIdentity.Proxy.Diagnostics.ProxyProbe.RunAsync(missingClient.BaseAddress!.Port, error, TimeSpan.FromMilliseconds(1)));
        Assert.Contains($"after {AzureWorkloadIdentity.Proxy.Diagnostics.ProxyProbe.Attempts} attempts", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("/nonexistent/token", error.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 20_000)]
    public async Task OtherPath_ForwardedToImds()
    {
        await using var imds = WebApplication.CreateSlimBuilder().Also(b => b.WebHost.UseUrls("http://127.0.0.1:0")).Build();
        imds.MapGet("/metadata/instance", (Microsoft.AspNetCore.Http.HttpRequest r) => $"instance {r.Query["api-version"]} {r.Headers["Metadata"]}");
        await imds.StartAsync();
        var imdsPort = new Uri(imds.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        var (app, client, _) = await StartAsync(imdsPort);
        await using var __ = app;
        using var response = await client.SendAsync(Get("/metadata/instance?api-version=2021-02-01"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("instance 2021-02-01 true", await response.Content.ReadAsStringAsync());
    }
}

internal static class BuilderExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
