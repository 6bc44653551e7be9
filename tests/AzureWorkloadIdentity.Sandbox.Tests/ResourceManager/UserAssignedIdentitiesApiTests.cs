using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.ResourceManager.Resources;
using AzureWorkloadIdentity.Sandbox.Tests.Graph;

namespace AzureWorkloadIdentity.Sandbox.Tests.ResourceManager;

public sealed class UserAssignedIdentitiesApiTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;

    private static ResourceIdentifier IdentityId(string group, string name) =>
        new($"{ArmSandbox.GroupId(group)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}");

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_GenericResource_ReturnsClientPrincipalAndTenantIds()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");

        var created = await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, IdentityId("rg", "workload"), new GenericResourceData(AzureLocation.WestUS));

        var properties = created.Value.Data.Properties.ToObjectFromJson<JsonElement>();
        var stored = Assert.Single(sandbox.Directory.Snapshot.Identities.Values);
        Assert.Equal(stored.ClientId, properties.GetProperty("clientId").GetString());
        Assert.Equal(stored.PrincipalId, properties.GetProperty("principalId").GetString());
        Assert.Equal(ArmSandbox.TenantId, properties.GetProperty("tenantId").GetString());
        Assert.Equal(IdentityId("rg", "workload").ToString(), stored.ResourceId);
        Assert.Equal(sandbox.Time.GetUtcNow(), stored.CreatedAt);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_Twice_KeepsClientId()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");
        var resources = sandbox.Client.GetGenericResources();
        var first = await resources.CreateOrUpdateAsync(WaitUntil.Completed, IdentityId("rg", "same"), new GenericResourceData(AzureLocation.WestUS));

        var second = await resources.CreateOrUpdateAsync(WaitUntil.Completed, IdentityId("rg", "same"), new GenericResourceData(AzureLocation.WestUS));

        Assert.Equal(
            first.Value.Data.Properties.ToObjectFromJson<JsonElement>().GetProperty("clientId").GetString(),
            second.Value.Data.Properties.ToObjectFromJson<JsonElement>().GetProperty("clientId").GetString());
        Assert.Single(sandbox.Directory.Snapshot.Identities);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_MissingGroup_ThrowsResourceGroupNotFound()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => sandbox.Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, IdentityId("missing", "workload"), new GenericResourceData(AzureLocation.WestUS)));

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceGroupNotFound", error.ErrorCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task Delete_Identity_RemovesItThenGetIsNotFound()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");
        var created = await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, IdentityId("rg", "gone"), new GenericResourceData(AzureLocation.WestUS));

        await created.Value.DeleteAsync(WaitUntil.Completed);

        Assert.Empty(sandbox.Directory.Snapshot.Identities);
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => sandbox.Client.GetGenericResource(IdentityId("rg", "gone")).GetAsync());
        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_NameTooShort_ThrowsInvalidResourceName()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => sandbox.Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, IdentityId("rg", "ab"), new GenericResourceData(AzureLocation.WestUS)));

        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidResourceName", error.ErrorCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task List_InGroup_ReturnsIdentities()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");
        sandbox.AddResourceGroup("other");
        var resources = sandbox.Client.GetGenericResources();
        await resources.CreateOrUpdateAsync(WaitUntil.Completed, IdentityId("rg", "first"), new GenericResourceData(AzureLocation.WestUS));
        await resources.CreateOrUpdateAsync(WaitUntil.Completed, IdentityId("other", "second"), new GenericResourceData(AzureLocation.WestUS));

        var (status, body) = await sandbox.SendAsync(
            RequestMethod.Get, $"{ArmSandbox.GroupId("rg")}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2023-01-31");

        Assert.Equal(200, status);
        Assert.Equal("first", Assert.Single(body.GetProperty("value").EnumerateArray()).GetProperty("name").GetString());
    }
}
