using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Sandbox.Tests.Entra;

/// <summary>
/// The JavaScript SDK (@azure/identity from npm) against the sandbox's Entra ID: it differs from .NET (it reads the
/// tenant's OpenID configuration first and trims the token file), so it is checked on its own.
/// </summary>
public sealed class JsWorkloadIdentityTests
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task AzureIdentityJs_WorkloadIdentityCredential_GetsToken()
    {
        var scripts = Path.Combine(AppContext.BaseDirectory, "Entra", "js");
        await NodeScripts.EnsureInstalledAsync(scripts, "@azure/identity");
        await using var world = await WorkloadIdentityWorld.StartAsync();
        var tokenFile = world.WriteTokenFile(world.MintToken() + "\n");

        var (exitCode, output) = await NodeScripts.RunAsync("node", scripts, ["get-token.mjs", "https://vault.azure.net/.default"], new Dictionary<string, string>
        {
            ["AZURE_TENANT_ID"] = world.Host.Directory.TenantId,
            ["AZURE_CLIENT_ID"] = world.ClientId,
            ["AZURE_FEDERATED_TOKEN_FILE"] = tokenFile,
            ["AZURE_AUTHORITY_HOST"] = world.Host.AuthorityHost.ToString(),
            ["NODE_EXTRA_CA_CERTS"] = world.Host.CaPath,
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains("token ok aud=https://vault.azure.net", output, StringComparison.Ordinal);
    }
}
