using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Sandbox.Tests.Graph;

public sealed class FederatedIdentityCredentialsApiTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;
    private const string Issuer = "https://oidc.example.com/issuer/";
    private const string Subject = "system:serviceaccount:default:workload";

    // azwi's credential names: base64url of SHA-256 with '=' padding (44 characters, may hold '-' and '_').
    private const string AzwiName = "t4BxHnnPeJsOfTLIBFbdKeRH-VMaIRdxwkxwF13S_Kw=";

    private static FederatedIdentityCredential Credential(string name = AzwiName, string subject = Subject, List<string>? audiences = null) => new()
    {
        Name = name,
        Issuer = Issuer,
        Subject = subject,
        Audiences = audiences ?? ["api://AzureADTokenExchange"],
        Description = "Federated Service Account for default/workload",
    };

    private static async Task<string> CreateApplicationAsync(GraphSandbox sandbox) =>
        (await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "fic-app" }))!.Id!;

    [Fact(Timeout = Timeout)]
    public async Task Create_AzwiStyleName_StoresCredentialOnApplication()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var appId = await CreateApplicationAsync(sandbox);

        var created = await sandbox.Client.Applications[appId].FederatedIdentityCredentials.PostAsync(Credential());

        Assert.True(Guid.TryParse(created!.Id, out _));
        Assert.Equal(AzwiName, created.Name);
        Assert.Equal(Issuer, created.Issuer);
        Assert.Equal(["api://AzureADTokenExchange"], created.Audiences);
        var stored = Assert.Single(sandbox.Directory.Snapshot.Applications[appId].FederatedCredentials);
        Assert.Equal(Subject, stored.Subject);
        Assert.Equal(Issuer, stored.Issuer);
    }

    [Fact(Timeout = Timeout)]
    public async Task List_FilterBySubject_ReturnsOnlyThatSubject()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var appId = await CreateApplicationAsync(sandbox);
        var credentials = sandbox.Client.Applications[appId].FederatedIdentityCredentials;
        await credentials.PostAsync(Credential());
        await credentials.PostAsync(Credential("other-name", "system:serviceaccount:default:other"));

        var found = await credentials.GetAsync(r => r.QueryParameters.Filter = $"subject eq '{Subject}'");

        Assert.Equal(AzwiName, Assert.Single(found!.Value!).Name);
    }

    [Fact(Timeout = Timeout)]
    public async Task Get_ByIdOrName_ReturnsCredential()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var appId = await CreateApplicationAsync(sandbox);
        var credentials = sandbox.Client.Applications[appId].FederatedIdentityCredentials;
        var created = await credentials.PostAsync(Credential());

        var byId = await credentials[created!.Id].GetAsync();
        var byName = await credentials[AzwiName].GetAsync();

        Assert.Equal(created.Id, byId!.Id);
        Assert.Equal(created.Id, byName!.Id);
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_SameNameTwice_ThrowsMultipleObjectsWithSameKeyValue()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var appId = await CreateApplicationAsync(sandbox);
        var credentials = sandbox.Client.Applications[appId].FederatedIdentityCredentials;
        await credentials.PostAsync(Credential());

        var error = await Assert.ThrowsAsync<ODataError>(() => credentials.PostAsync(Credential()));

        Assert.Equal("Request_MultipleObjectsWithSameKeyValue", error.Error?.Code);
        Assert.Contains(AzwiName, error.Error?.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_SameIssuerAndSubjectOtherName_ThrowsMultipleObjectsWithSameKeyValue()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var appId = await CreateApplicationAsync(sandbox);
        var credentials = sandbox.Client.Applications[appId].FederatedIdentityCredentials;
        await credentials.PostAsync(Credential());

        var error = await Assert.ThrowsAsync<ODataError>(() => credentials.PostAsync(Credential("another-name")));

        Assert.Equal("Request_MultipleObjectsWithSameKeyValue", error.Error?.Code);
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_TwentyFirst_ThrowsBadRequest()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var appId = await CreateApplicationAsync(sandbox);
        var credentials = sandbox.Client.Applications[appId].FederatedIdentityCredentials;
        for (var i = 0; i < 20; i++)
        {
            await credentials.PostAsync(Credential($"name-{i}", $"system:serviceaccount:default:sa-{i}"));
        }

        var error = await Assert.ThrowsAsync<ODataError>(() => credentials.PostAsync(Credential("name-20", "system:serviceaccount:default:sa-20")));

        Assert.Equal("Request_BadRequest", error.Error?.Code);
        Assert.Contains("20", error.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(20, sandbox.Directory.Snapshot.Applications[appId].FederatedCredentials.Count);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("two-audiences")]
    [InlineData("no-audience")]
    [InlineData("bad/name")]
    [InlineData("ab")]
    public async Task Create_InvalidCredential_ThrowsBadRequest(string invalid)
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var appId = await CreateApplicationAsync(sandbox);
        var credential = invalid switch
        {
            "two-audiences" => Credential(audiences: ["api://AzureADTokenExchange", "api://other"]),
            "no-audience" => Credential(audiences: []),
            _ => Credential(name: invalid),
        };

        var error = await Assert.ThrowsAsync<ODataError>(() => sandbox.Client.Applications[appId].FederatedIdentityCredentials.PostAsync(credential));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("Request_BadRequest", error.Error?.Code);
        Assert.Empty(sandbox.Directory.Snapshot.Applications[appId].FederatedCredentials);
    }

    [Fact(Timeout = Timeout)]
    public async Task Delete_Credential_RemovesItThenNotFound()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var appId = await CreateApplicationAsync(sandbox);
        var credentials = sandbox.Client.Applications[appId].FederatedIdentityCredentials;
        var created = await credentials.PostAsync(Credential());

        await credentials[created!.Id].DeleteAsync();

        Assert.Empty(sandbox.Directory.Snapshot.Applications[appId].FederatedCredentials);
        var error = await Assert.ThrowsAsync<ODataError>(() => credentials[created.Id].DeleteAsync());
        Assert.Equal("Request_ResourceNotFound", error.Error?.Code);
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_OnUnknownApplication_ThrowsResourceNotFound()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);

        var error = await Assert.ThrowsAsync<ODataError>(() =>
            sandbox.Client.Applications[Guid.NewGuid().ToString()].FederatedIdentityCredentials.PostAsync(Credential()));

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.Equal("Request_ResourceNotFound", error.Error?.Code);
    }
}
