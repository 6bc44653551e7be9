using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.ResourceManager.Resources;
using AzureWorkloadIdentity.Sandbox.ResourceManager;
using AzureWorkloadIdentity.Sandbox.Tests.Graph;

namespace AzureWorkloadIdentity.Sandbox.Tests.ResourceManager.Authorization;

public sealed class RoleAssignmentsApiTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;
    private const string ReaderId = "/subscriptions/" + ArmSandbox.SubscriptionId + "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7";

    private static string AssignmentPath(string scope, string name) =>
        $"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}?api-version=2022-04-01";

    private static object Body(string principalId, string? principalType = null, string roleDefinitionId = ReaderId) =>
        principalType is null
            ? new { properties = new { roleDefinitionId, principalId } }
            : new { properties = new { roleDefinitionId, principalId, principalType } };

    [Fact(Timeout = Timeout)]
    public async Task Put_PrincipalJustCreatedWithoutType_ReturnsPrincipalNotFoundUntilReplicated()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var sp = sandbox.AddServicePrincipal();
        var scope = $"/subscriptions/{ArmSandbox.SubscriptionId}";
        var name = Guid.NewGuid().ToString();

        var (early, error) = await sandbox.SendAsync(RequestMethod.Put, AssignmentPath(scope, name), Body(sp.ObjectId));
        sandbox.Time.Advance(TimeSpan.FromSeconds(3));
        var (later, created) = await sandbox.SendAsync(RequestMethod.Put, AssignmentPath(scope, name), Body(sp.ObjectId));

        Assert.Equal(400, early);
        Assert.Equal("PrincipalNotFound", error.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(Guid.Parse(sp.ObjectId).ToString("N"), error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(201, later);
        Assert.Equal(sp.ObjectId, created.GetProperty("properties").GetProperty("principalId").GetString());
        var stored = Assert.Single(sandbox.Directory.Snapshot.RoleAssignments.Values);
        Assert.Equal((scope, ReaderId, sp.ObjectId), (stored.Scope, stored.RoleDefinitionId, stored.PrincipalId));
    }

    [Fact(Timeout = Timeout)]
    public async Task Put_PrincipalJustCreatedWithType_Succeeds()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var sp = sandbox.AddServicePrincipal();

        var (status, _) = await sandbox.SendAsync(
            RequestMethod.Put, AssignmentPath($"/subscriptions/{ArmSandbox.SubscriptionId}", Guid.NewGuid().ToString()), Body(sp.ObjectId, "ServicePrincipal"));

        Assert.Equal(201, status);
    }

    [Fact(Timeout = Timeout)]
    public async Task Put_ReplicationDelayZero_SucceedsImmediately()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture, new ResourceManagerOptions { PrincipalReplicationDelay = TimeSpan.Zero });
        var sp = sandbox.AddServicePrincipal();

        var (status, _) = await sandbox.SendAsync(
            RequestMethod.Put, AssignmentPath($"/subscriptions/{ArmSandbox.SubscriptionId}", Guid.NewGuid().ToString()), Body(sp.ObjectId));

        Assert.Equal(201, status);
    }

    [Fact(Timeout = Timeout)]
    public async Task Put_UnknownPrincipal_ReturnsPrincipalNotFound()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);

        var (status, body) = await sandbox.SendAsync(
            RequestMethod.Put, AssignmentPath($"/subscriptions/{ArmSandbox.SubscriptionId}", Guid.NewGuid().ToString()),
            Body(Guid.NewGuid().ToString(), "ServicePrincipal"));

        Assert.Equal(400, status);
        Assert.Equal("PrincipalNotFound", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task Put_SameRoleScopeAndPrincipalWithNewGuid_Returns409RoleAssignmentExists()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var sp = sandbox.AddServicePrincipal();
        var scope = $"/subscriptions/{ArmSandbox.SubscriptionId}";
        await sandbox.SendAsync(RequestMethod.Put, AssignmentPath(scope, Guid.NewGuid().ToString()), Body(sp.ObjectId, "ServicePrincipal"));

        var (status, body) = await sandbox.SendAsync(RequestMethod.Put, AssignmentPath(scope, Guid.NewGuid().ToString()), Body(sp.ObjectId, "ServicePrincipal"));

        Assert.Equal(409, status);
        Assert.Equal("RoleAssignmentExists", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Single(sandbox.Directory.Snapshot.RoleAssignments);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-0000-0000-000000000000", "RoleDefinitionDoesNotExist")]
    [InlineData(null, "RoleDefinitionDoesNotExist")]
    public async Task Put_UnknownRoleDefinition_ReturnsBadRequest(string? roleDefinitionId, string code)
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var sp = sandbox.AddServicePrincipal();

        var (status, body) = await sandbox.SendAsync(
            RequestMethod.Put, AssignmentPath($"/subscriptions/{ArmSandbox.SubscriptionId}", Guid.NewGuid().ToString()),
            new { properties = new { roleDefinitionId, principalId = sp.ObjectId, principalType = "ServicePrincipal" } });

        Assert.Equal(400, status);
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task Put_ScopeInMissingResourceGroup_ReturnsResourceGroupNotFound()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var sp = sandbox.AddServicePrincipal();

        var (status, body) = await sandbox.SendAsync(
            RequestMethod.Put, AssignmentPath(ArmSandbox.GroupId("missing"), Guid.NewGuid().ToString()), Body(sp.ObjectId, "ServicePrincipal"));

        Assert.Equal(404, status);
        Assert.Equal("ResourceGroupNotFound", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_GenericResourceAtVaultScope_CreatesAssignmentForIdentity()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");
        var identity = await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed,
            new ResourceIdentifier($"{ArmSandbox.GroupId("rg")}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/workload"),
            new GenericResourceData(AzureLocation.WestUS));
        var principalId = identity.Value.Data.Properties.ToObjectFromJson<JsonElement>().GetProperty("principalId").GetString();
        sandbox.Time.Advance(TimeSpan.FromSeconds(5));
        var scope = $"{ArmSandbox.GroupId("rg")}/providers/Microsoft.KeyVault/vaults/my-vault";
        var id = new ResourceIdentifier($"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}");

        await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, id, new GenericResourceData(AzureLocation.WestUS)
        {
            Properties = BinaryData.FromObjectAsJson(new
            {
                roleDefinitionId = $"/subscriptions/{ArmSandbox.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6",
                principalId,
            }),
        });

        var stored = Assert.Single(sandbox.Directory.Snapshot.RoleAssignments.Values);
        Assert.Equal(id.ToString(), stored.Id);
        Assert.Equal(scope, stored.Scope);
        Assert.Equal(principalId, stored.PrincipalId);
    }

    [Fact(Timeout = Timeout)]
    public async Task GetAndDelete_Assignment_Returns200Then204()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var sp = sandbox.AddServicePrincipal();
        var path = AssignmentPath($"/subscriptions/{ArmSandbox.SubscriptionId}", Guid.NewGuid().ToString());
        await sandbox.SendAsync(RequestMethod.Put, path, Body(sp.ObjectId, "ServicePrincipal"));

        var (got, _) = await sandbox.SendAsync(RequestMethod.Get, path);
        var (deleted, body) = await sandbox.SendAsync(RequestMethod.Delete, path);
        var (again, _) = await sandbox.SendAsync(RequestMethod.Delete, path);
        var (missing, _) = await sandbox.SendAsync(RequestMethod.Get, path);

        Assert.Equal(200, got);
        Assert.Equal(200, deleted);
        Assert.Equal(sp.ObjectId, body.GetProperty("properties").GetProperty("principalId").GetString());
        Assert.Equal(204, again);
        Assert.Equal(404, missing);
        Assert.Empty(sandbox.Directory.Snapshot.RoleAssignments);
    }

    [Fact(Timeout = Timeout)]
    public async Task List_FilterByPrincipalId_ReturnsThatPrincipalsAssignmentsBelowScope()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");
        var first = sandbox.AddServicePrincipal();
        var second = sandbox.AddServicePrincipal();
        await sandbox.SendAsync(RequestMethod.Put, AssignmentPath(ArmSandbox.GroupId("rg"), Guid.NewGuid().ToString()), Body(first.ObjectId, "ServicePrincipal"));
        await sandbox.SendAsync(RequestMethod.Put, AssignmentPath(ArmSandbox.GroupId("rg"), Guid.NewGuid().ToString()), Body(second.ObjectId, "ServicePrincipal"));

        var (status, body) = await sandbox.SendAsync(
            RequestMethod.Get,
            $"subscriptions/{ArmSandbox.SubscriptionId}/providers/Microsoft.Authorization/roleAssignments?$filter={Uri.EscapeDataString($"principalId eq '{first.ObjectId}'")}&api-version=2022-04-01");

        Assert.Equal(200, status);
        var assignment = Assert.Single(body.GetProperty("value").EnumerateArray());
        Assert.Equal(first.ObjectId, assignment.GetProperty("properties").GetProperty("principalId").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task List_AtScope_ExcludesAssignmentsBelow()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");
        var sp = sandbox.AddServicePrincipal();
        await sandbox.SendAsync(RequestMethod.Put, AssignmentPath(ArmSandbox.GroupId("rg"), Guid.NewGuid().ToString()), Body(sp.ObjectId, "ServicePrincipal"));

        var (_, all) = await sandbox.SendAsync(RequestMethod.Get, $"subscriptions/{ArmSandbox.SubscriptionId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01");
        var (_, atScope) = await sandbox.SendAsync(RequestMethod.Get, $"subscriptions/{ArmSandbox.SubscriptionId}/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()&api-version=2022-04-01");

        Assert.Equal(1, all.GetProperty("value").GetArrayLength());
        Assert.Equal(0, atScope.GetProperty("value").GetArrayLength());
    }
}
