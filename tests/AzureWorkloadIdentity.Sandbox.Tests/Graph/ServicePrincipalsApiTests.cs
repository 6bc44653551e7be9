using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Sandbox.Tests.Graph;

public sealed class ServicePrincipalsApiTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;

    [Fact(Timeout = Timeout)]
    public async Task Create_ForApplication_UsesItsAppIdAndName()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var app = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "with-sp" });

        var sp = await sandbox.Client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = app!.AppId, Tags = ["azwi version: 1"] });

        Assert.Equal(app.AppId, sp!.AppId);
        Assert.Equal("with-sp", sp.DisplayName);
        Assert.NotEqual(app.Id, sp.Id);
        Assert.Equal("Application", sp.ServicePrincipalType);
        Assert.True(sandbox.Directory.Snapshot.ServicePrincipals.ContainsKey(sp.Id!));
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_UnknownAppId_ThrowsBadRequest()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);

        var error = await Assert.ThrowsAsync<ODataError>(() =>
            sandbox.Client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = Guid.NewGuid().ToString() }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("Request_BadRequest", error.Error?.Code);
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_Twice_ThrowsMultipleObjectsWithSameKeyValue()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var app = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "dup-sp" });
        await sandbox.Client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = app!.AppId });

        var error = await Assert.ThrowsAsync<ODataError>(() =>
            sandbox.Client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = app.AppId }));

        Assert.Equal("Request_MultipleObjectsWithSameKeyValue", error.Error?.Code);
        Assert.Single(sandbox.Directory.Snapshot.ServicePrincipals);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("appId")]
    [InlineData("displayName")]
    public async Task List_FilterByAppIdOrDisplayName_ReturnsIt(string property)
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var first = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "first" });
        var second = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "second" });
        await sandbox.Client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = first!.AppId });
        var sp = await sandbox.Client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = second!.AppId });
        var value = property == "appId" ? second.AppId : "second";

        var found = await sandbox.Client.ServicePrincipals.GetAsync(r => r.QueryParameters.Filter = $"{property} eq '{value}'");

        Assert.Equal(sp!.Id, Assert.Single(found!.Value!).Id);
    }

    [Fact(Timeout = Timeout)]
    public async Task Delete_ServicePrincipal_KeepsApplication()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var app = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "keep" });
        var sp = await sandbox.Client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = app!.AppId });

        await sandbox.Client.ServicePrincipals[sp!.Id].DeleteAsync();

        Assert.Empty(sandbox.Directory.Snapshot.ServicePrincipals);
        Assert.Single(sandbox.Directory.Snapshot.Applications);
        var error = await Assert.ThrowsAsync<ODataError>(() => sandbox.Client.ServicePrincipals[sp.Id].GetAsync());
        Assert.Equal("Request_ResourceNotFound", error.Error?.Code);
    }
}
