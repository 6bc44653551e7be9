using Azure.Core;
using AzureWorkloadIdentity.Sandbox.Tests.Graph;

namespace AzureWorkloadIdentity.Sandbox.Tests.ResourceManager.Authorization;

public sealed class RoleDefinitionsApiTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;

    [Theory(Timeout = Timeout)]
    [InlineData("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7")]
    [InlineData("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c")]
    [InlineData("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635")]
    [InlineData("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6")]
    [InlineData("Key Vault Secrets Officer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7")]
    [InlineData("Key Vault Administrator", "00482a5a-887f-4fb3-b363-3b7fe8e74483")]
    [InlineData("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")]
    public async Task List_FilterByRoleNameAtEmptyScope_ReturnsBuiltInRoleWithRealGuid(string roleName, string guid)
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);

        var (status, body) = await sandbox.SendAsync(
            RequestMethod.Get,
            $"providers/Microsoft.Authorization/roleDefinitions?$filter={Uri.EscapeDataString($"roleName eq '{roleName}'")}&api-version=2022-04-01");

        Assert.Equal(200, status);
        var role = Assert.Single(body.GetProperty("value").EnumerateArray());
        Assert.Equal(guid, role.GetProperty("name").GetString());
        Assert.Equal($"/providers/Microsoft.Authorization/roleDefinitions/{guid}", role.GetProperty("id").GetString());
        Assert.Equal(roleName, role.GetProperty("properties").GetProperty("roleName").GetString());
        Assert.Equal("BuiltInRole", role.GetProperty("properties").GetProperty("type").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task List_AtSubscriptionScope_UsesSubscriptionIds()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);

        var (_, body) = await sandbox.SendAsync(
            RequestMethod.Get,
            $"subscriptions/{ArmSandbox.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions?$filter=roleName%20eq%20%27Reader%27&api-version=2022-04-01");

        Assert.Equal(
            $"/subscriptions/{ArmSandbox.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
            Assert.Single(body.GetProperty("value").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task List_UnknownRoleName_ReturnsEmpty()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);

        var (status, body) = await sandbox.SendAsync(
            RequestMethod.Get, "providers/Microsoft.Authorization/roleDefinitions?$filter=roleName%20eq%20%27No%20Such%20Role%27&api-version=2022-04-01");

        Assert.Equal(200, status);
        Assert.Equal(0, body.GetProperty("value").GetArrayLength());
    }

    [Fact(Timeout = Timeout)]
    public async Task Get_ByGuid_ReturnsRole()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);

        var (status, body) = await sandbox.SendAsync(
            RequestMethod.Get,
            $"subscriptions/{ArmSandbox.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6?api-version=2022-04-01");

        Assert.Equal(200, status);
        Assert.Equal("Key Vault Secrets User", body.GetProperty("properties").GetProperty("roleName").GetString());
    }
}
