using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Sandbox.Tests.Graph;

public sealed class ApplicationsApiTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;

    [Fact(Timeout = Timeout)]
    public async Task Create_WithDisplayName_ReturnsIdsAndStoresApplication()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);

        var created = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "my-app" });

        Assert.NotNull(created);
        Assert.True(Guid.TryParse(created.Id, out _));
        Assert.True(Guid.TryParse(created.AppId, out _));
        Assert.NotEqual(created.Id, created.AppId);
        Assert.Equal("my-app", created.DisplayName);
        Assert.NotNull(created.CreatedDateTime);
        var stored = Assert.Single(sandbox.Directory.Snapshot.Applications.Values);
        Assert.Equal(created.AppId, stored.AppId);
        Assert.Equal(GraphSandbox.TenantId, stored.TenantId);
    }

    [Fact(Timeout = Timeout)]
    public async Task Get_ById_ReturnsApplication()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var created = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "get-me" });

        var fetched = await sandbox.Client.Applications[created!.Id].GetAsync();

        Assert.Equal(created.AppId, fetched!.AppId);
        Assert.Equal("get-me", fetched.DisplayName);
    }

    [Fact(Timeout = Timeout)]
    public async Task Get_UnknownId_ThrowsResourceNotFound()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);

        var error = await Assert.ThrowsAsync<ODataError>(() => sandbox.Client.Applications[Guid.NewGuid().ToString()].GetAsync());

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.Equal("Request_ResourceNotFound", error.Error?.Code);
    }

    [Fact(Timeout = Timeout)]
    public async Task List_FilterByDisplayName_ReturnsOnlyMatchingApplication()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "alpha" });
        var beta = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "beta" });

        var found = await sandbox.Client.Applications.GetAsync(r => r.QueryParameters.Filter = "displayName eq 'beta'");

        var app = Assert.Single(found!.Value!);
        Assert.Equal(beta!.Id, app.Id);
    }

    [Fact(Timeout = Timeout)]
    public async Task List_FilterValueWithQuote_MatchesLiterallyAndDoesNotWiden()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "other" });
        const string tricky = "x' or displayName eq 'other";
        var created = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = tricky });

        var found = await sandbox.Client.Applications.GetAsync(r =>
            r.QueryParameters.Filter = $"displayName eq '{tricky.Replace("'", "''", StringComparison.Ordinal)}'");

        var app = Assert.Single(found!.Value!);
        Assert.Equal(created!.Id, app.Id);
    }

    [Fact(Timeout = Timeout)]
    public async Task List_UnquotedInjection_IsRejectedNotWidened()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "other" });

        var error = await Assert.ThrowsAsync<ODataError>(() => sandbox.Client.Applications.GetAsync(r =>
            r.QueryParameters.Filter = "displayName eq 'x' or displayName eq 'other'"));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("Request_UnsupportedQuery", error.Error?.Code);
    }

    [Fact(Timeout = Timeout)]
    public async Task List_SelectAndTop_ProjectsAndLimits()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "one" });
        await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "two" });

        var found = await sandbox.Client.Applications.GetAsync(r =>
        {
            r.QueryParameters.Select = ["appId"];
            r.QueryParameters.Top = 1;
        });

        var app = Assert.Single(found!.Value!);
        Assert.NotNull(app.AppId);
        Assert.NotNull(app.Id);
        Assert.Null(app.DisplayName);
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_WithoutDisplayName_ThrowsBadRequest()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);

        var error = await Assert.ThrowsAsync<ODataError>(() => sandbox.Client.Applications.PostAsync(new Application()));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("Request_BadRequest", error.Error?.Code);
    }

    [Fact(Timeout = Timeout)]
    public async Task Delete_Application_RemovesItAndItsServicePrincipal()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var app = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "doomed" });
        await sandbox.Client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = app!.AppId });

        await sandbox.Client.Applications[app.Id].DeleteAsync();

        Assert.Empty(sandbox.Directory.Snapshot.Applications);
        Assert.Empty(sandbox.Directory.Snapshot.ServicePrincipals);
        var error = await Assert.ThrowsAsync<ODataError>(() => sandbox.Client.Applications[app.Id].DeleteAsync());
        Assert.Equal("Request_ResourceNotFound", error.Error?.Code);
    }

    [Fact(Timeout = Timeout)]
    public async Task GetAndDelete_ByAppIdAlternateKey_AddressApplication()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var created = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "by-app-id" });
        var sp = await sandbox.Client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = created!.AppId });

        var fetched = await sandbox.Client.ApplicationsWithAppId(created.AppId).GetAsync();
        var principal = await sandbox.Client.ServicePrincipalsWithAppId(created.AppId).GetAsync();
        await sandbox.Client.ApplicationsWithAppId(created.AppId).DeleteAsync();

        Assert.Equal(created.Id, fetched!.Id);
        Assert.Equal(sp!.Id, principal!.Id);
        Assert.Empty(sandbox.Directory.Snapshot.Applications);
        var error = await Assert.ThrowsAsync<ODataError>(() => sandbox.Client.ApplicationsWithAppId(created.AppId).GetAsync());
        Assert.Equal("Request_ResourceNotFound", error.Error?.Code);
    }
}
