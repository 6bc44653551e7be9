using Azure;
using AzureWorkloadIdentity.Sandbox.Tests.Entra;

namespace AzureWorkloadIdentity.Sandbox.Tests.Vaults;

/// <summary>Key Vault's secret operations through the real SecretClient, as the operator (Key Vault Administrator).</summary>
public sealed class SecretsApiTests
{
    private const int Timeout = 60_000;

    [Fact(Timeout = Timeout)]
    public async Task SetTwice_GetLatestAndByVersion_ListVersions_Delete()
    {
        await using var world = await WorkloadIdentityWorld.StartAsync();
        var client = world.SecretClient(await world.CreateVaultAsync("azwi-kv-versions"), world.OperatorCredential());

        var first = await client.SetSecretAsync("s", "one");
        var second = await client.SetSecretAsync("s", "two");

        Assert.Equal("two", (await client.GetSecretAsync("s")).Value.Value);
        Assert.Equal("one", (await client.GetSecretAsync("s", first.Value.Properties.Version)).Value.Value);
        var versions = new List<string>();
        await foreach (var properties in client.GetPropertiesOfSecretVersionsAsync("s"))
        {
            versions.Add(properties.Version);
        }

        Assert.Equal([first.Value.Properties.Version, second.Value.Properties.Version], versions);
        await client.StartDeleteSecretAsync("s");
        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("s"));
        Assert.Equal(404, missing.Status);
        Assert.Equal("SecretNotFound", missing.ErrorCode);
    }
}
