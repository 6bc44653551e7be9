using System.Net;
using System.Text.Json;
using AzureWorkloadIdentity.Sandbox.Entra;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Sandbox.Tests.Graph;

public sealed class GraphAuthenticationTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;

    [Fact(Timeout = Timeout)]
    public async Task Request_WithoutToken_Returns401InvalidAuthenticationToken()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        using var http = sandbox.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("v1.0/applications", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("InvalidAuthenticationToken", error.GetProperty("code").GetString());
        Assert.Equal("Access token is empty.", error.GetProperty("message").GetString());
        Assert.True(error.GetProperty("innerError").TryGetProperty("request-id", out _));
    }

    [Fact(Timeout = Timeout)]
    public async Task Sdk_TokenForResourceManager_ThrowsInvalidAuthenticationToken()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        using var client = GraphSandbox.CreateClient(
            fixture.Tls, sandbox.Server, new IssuedTokenCredential(sandbox.Tokens, "https://management.azure.com/"));

        var error = await Assert.ThrowsAsync<ODataError>(() => client.Applications.GetAsync());

        Assert.Equal(401, error.ResponseStatusCode);
        Assert.Equal("InvalidAuthenticationToken", error.Error?.Code);
    }

    [Fact(Timeout = Timeout)]
    public async Task Sdk_TokenFromOtherTenant_ThrowsInvalidAuthenticationToken()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        using var otherTenant = new AccessTokenIssuer(Guid.NewGuid().ToString());
        using var client = GraphSandbox.CreateClient(fixture.Tls, sandbox.Server, new IssuedTokenCredential(otherTenant));

        var error = await Assert.ThrowsAsync<ODataError>(() => client.Applications.GetAsync());

        Assert.Equal(401, error.ResponseStatusCode);
        Assert.Equal("InvalidAuthenticationToken", error.Error?.Code);
    }

    [Fact(Timeout = Timeout)]
    public async Task Sdk_ExplicitScope_AsksForGraphDefaultScope()
    {
        IssuedTokenCredential? credential = null;
        await using var sandbox = await GraphSandbox.StartAsync(fixture, tokens => credential = new IssuedTokenCredential(tokens));

        await sandbox.Client.Applications.GetAsync();

        Assert.Equal(["https://graph.microsoft.com/.default"], credential!.RequestedScopes.Distinct());
    }
}
