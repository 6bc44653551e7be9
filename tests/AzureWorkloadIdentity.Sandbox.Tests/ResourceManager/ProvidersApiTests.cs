using Azure;
using AzureWorkloadIdentity.Sandbox.Tests.Graph;

namespace AzureWorkloadIdentity.Sandbox.Tests.ResourceManager;

public sealed class ProvidersApiTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;

    [Theory(Timeout = Timeout)]
    [InlineData("Microsoft.ManagedIdentity", "userAssignedIdentities/federatedIdentityCredentials", "2023-01-31")]
    [InlineData("Microsoft.KeyVault", "vaults", "2023-07-01")]
    [InlineData("Microsoft.Authorization", "roleAssignments", "2022-04-01")]
    public async Task GetResourceProvider_Known_ListsTypeWithStableApiVersionFirst(string providerNamespace, string type, string apiVersion)
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var subscription = await sandbox.Client.GetDefaultSubscriptionAsync();

        var provider = await subscription.GetResourceProviderAsync(providerNamespace);

        Assert.Equal(providerNamespace, provider.Value.Data.Namespace);
        var resourceType = Assert.Single(provider.Value.Data.ResourceTypes, t => t.ResourceType == type);
        Assert.Equal(apiVersion, resourceType.ApiVersions[0]);
    }

    [Fact(Timeout = Timeout)]
    public async Task GetResourceProvider_Unknown_ThrowsNotFound()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        var subscription = await sandbox.Client.GetDefaultSubscriptionAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => subscription.GetResourceProviderAsync("Microsoft.Compute"));

        Assert.Equal(404, error.Status);
        Assert.Equal("InvalidResourceNamespace", error.ErrorCode);
    }
}
