using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.ResourceManager.Resources;
using AzureWorkloadIdentity.Sandbox.ResourceManager;
using AzureWorkloadIdentity.Sandbox.Tests.Graph;

namespace AzureWorkloadIdentity.Sandbox.Tests.ResourceManager;

public sealed class KeyVaultsApiTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;
    private static readonly string Reader = Guid.NewGuid().ToString();

    private static ResourceIdentifier VaultId(string group, string name) =>
        new($"{ArmSandbox.GroupId(group)}/providers/Microsoft.KeyVault/vaults/{name}");

    private static GenericResourceData Vault(string tenantId = ArmSandbox.TenantId) => new(AzureLocation.WestUS)
    {
        Properties = BinaryData.FromObjectAsJson(new
        {
            tenantId,
            sku = new { family = "A", name = "standard" },
            accessPolicies = new[] { new { tenantId, objectId = Reader, permissions = new { secrets = new[] { "get" }, keys = Array.Empty<string>() } } },
        }),
    };

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_Vault_StoresItWithAccessPoliciesAndVaultUri()
    {
        var options = new ResourceManagerOptions { VaultUri = name => new Uri($"https://127.0.0.1:7443/{name}/") };
        await using var sandbox = await ArmSandbox.StartAsync(fixture, options);
        sandbox.AddResourceGroup("rg");

        var created = await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, VaultId("rg", "my-vault"), Vault());

        var properties = created.Value.Data.Properties.ToObjectFromJson<JsonElement>();
        Assert.Equal("https://127.0.0.1:7443/my-vault/", properties.GetProperty("vaultUri").GetString());
        var vault = sandbox.Directory.Snapshot.Vaults["my-vault"];
        Assert.Equal(VaultId("rg", "my-vault").ToString(), vault.ResourceId);
        Assert.Equal(ArmSandbox.TenantId, vault.TenantId);
        Assert.Equal(["get"], vault.AccessPolicies[Reader]);
    }

    [Fact(Timeout = Timeout)]
    public async Task AccessPoliciesAdd_NewPrincipal_AddsSecretPermissions()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");
        await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, VaultId("rg", "my-vault"), Vault());
        var workload = Guid.NewGuid().ToString();

        var (status, body) = await sandbox.SendAsync(RequestMethod.Put, $"{VaultId("rg", "my-vault")}/accessPolicies/add?api-version=2023-07-01", new
        {
            properties = new { accessPolicies = new[] { new { tenantId = ArmSandbox.TenantId, objectId = workload, permissions = new { secrets = new[] { "get", "list" } } } } },
        });

        Assert.Equal(200, status);
        Assert.Equal(2, body.GetProperty("properties").GetProperty("accessPolicies").GetArrayLength());
        var policies = sandbox.Directory.Snapshot.Vaults["my-vault"].AccessPolicies;
        Assert.Equal(["get", "list"], policies[workload]);
        Assert.Equal(["get"], policies[Reader]);
    }

    [Fact(Timeout = Timeout)]
    public async Task AccessPoliciesRemove_LastPermission_DropsPrincipal()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");
        await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, VaultId("rg", "my-vault"), Vault());

        var (status, _) = await sandbox.SendAsync(RequestMethod.Put, $"{VaultId("rg", "my-vault")}/accessPolicies/remove?api-version=2023-07-01", new
        {
            properties = new { accessPolicies = new[] { new { objectId = Reader, permissions = new { secrets = new[] { "get" } } } } },
        });

        Assert.Equal(200, status);
        Assert.Empty(sandbox.Directory.Snapshot.Vaults["my-vault"].AccessPolicies);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_NameTakenInOtherGroup_ThrowsConflict()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");
        sandbox.AddResourceGroup("other");
        await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, VaultId("rg", "my-vault"), Vault());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            sandbox.Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, VaultId("other", "my-vault"), Vault()));

        Assert.Equal(409, error.Status);
        Assert.Equal("VaultAlreadyExists", error.ErrorCode);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_OtherTenant_ThrowsBadRequest()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => sandbox.Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, VaultId("rg", "my-vault"), Vault(Guid.NewGuid().ToString())));

        Assert.Equal(400, error.Status);
        Assert.Empty(sandbox.Directory.Snapshot.Vaults);
    }

    [Fact(Timeout = Timeout)]
    public async Task Delete_Vault_RemovesIt()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");
        var created = await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, VaultId("rg", "my-vault"), Vault());

        await created.Value.DeleteAsync(WaitUntil.Completed);

        Assert.Empty(sandbox.Directory.Snapshot.Vaults);
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => sandbox.Client.GetGenericResource(VaultId("rg", "my-vault")).GetAsync());
        Assert.Equal(404, error.Status);
    }
}
