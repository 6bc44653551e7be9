using Azure;
using Azure.Core;
using Azure.ResourceManager.Resources;
using AzureWorkloadIdentity.Sandbox.Tests.Graph;

namespace AzureWorkloadIdentity.Sandbox.Tests.ResourceManager;

public sealed class ResourceGroupsApiTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;

    private static async Task<SubscriptionResource> SubscriptionAsync(ArmSandbox sandbox) => await sandbox.Client.GetDefaultSubscriptionAsync();

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_NewGroup_CreatesItAndGetListsIt()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var groups = (await SubscriptionAsync(sandbox)).GetResourceGroups();

        var created = await groups.CreateOrUpdateAsync(WaitUntil.Completed, "rg-one", new ResourceGroupData(AzureLocation.WestUS));
        var fetched = await groups.GetAsync("rg-one");
        var all = new List<ResourceGroupResource>();
        await foreach (var group in groups.GetAllAsync())
        {
            all.Add(group);
        }

        Assert.Equal("rg-one", created.Value.Data.Name);
        Assert.Equal(AzureLocation.WestUS, fetched.Value.Data.Location);
        Assert.Equal(ArmSandbox.GroupId("rg-one"), fetched.Value.Id.ToString());
        Assert.Equal("rg-one", Assert.Single(all).Data.Name);
        Assert.True(sandbox.Directory.Snapshot.ResourceGroups.ContainsKey(ArmSandbox.GroupId("rg-one")));
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_Existing_IsIdempotent()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var groups = (await SubscriptionAsync(sandbox)).GetResourceGroups();
        await groups.CreateOrUpdateAsync(WaitUntil.Completed, "rg-again", new ResourceGroupData(AzureLocation.WestUS));

        var again = await groups.CreateOrUpdateAsync(WaitUntil.Completed, "rg-again", new ResourceGroupData(AzureLocation.WestUS));

        Assert.Equal(200, again.GetRawResponse().Status);
        Assert.Single(sandbox.Directory.Snapshot.ResourceGroups);
    }

    [Fact(Timeout = Timeout)]
    public async Task Get_Missing_ThrowsResourceGroupNotFound()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var groups = (await SubscriptionAsync(sandbox)).GetResourceGroups();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => groups.GetAsync("nope"));

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceGroupNotFound", error.ErrorCode);
        Assert.False(await groups.ExistsAsync("nope"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Delete_Group_RemovesItsIdentitiesVaultsAndRoleAssignments()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var groups = (await SubscriptionAsync(sandbox)).GetResourceGroups();
        var group = (await groups.CreateOrUpdateAsync(WaitUntil.Completed, "rg-doomed", new ResourceGroupData(AzureLocation.WestUS))).Value;
        var identityPath = $"{ArmSandbox.GroupId("rg-doomed")}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1?api-version=2023-01-31";
        var (status, identity) = await sandbox.SendAsync(RequestMethod.Put, identityPath, new { location = "westus" });
        Assert.Equal(201, status);
        var principalId = identity.GetProperty("properties").GetProperty("principalId").GetString();
        var assignment = $"{ArmSandbox.GroupId("rg-doomed")}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2022-04-01";
        var (assigned, _) = await sandbox.SendAsync(RequestMethod.Put, assignment, new
        {
            properties = new { roleDefinitionId = "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", principalId, principalType = "ServicePrincipal" },
        });
        Assert.Equal(201, assigned);

        await group.DeleteAsync(WaitUntil.Completed);

        var state = sandbox.Directory.Snapshot;
        Assert.Empty(state.ResourceGroups);
        Assert.Empty(state.Identities);
        Assert.Empty(state.RoleAssignments);
    }
}
