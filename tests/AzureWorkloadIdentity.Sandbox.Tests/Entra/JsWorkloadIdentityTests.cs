using System.Diagnostics;

namespace AzureWorkloadIdentity.Sandbox.Tests.Entra;

/// <summary>
/// The JavaScript SDK (@azure/identity from npm) against the sandbox's Entra ID: it differs from .NET (it reads the
/// tenant's OpenID configuration first and trims the token file), so it is checked on its own.
/// </summary>
public sealed class JsWorkloadIdentityTests
{
    private const int Timeout = 240_000;
    private static readonly SemaphoreSlim Install = new(1, 1);

    [Fact(Timeout = Timeout)]
    public async Task AzureIdentityJs_WorkloadIdentityCredential_GetsToken()
    {
        var scripts = Path.Combine(AppContext.BaseDirectory, "Entra", "js");
        await EnsureInstalledAsync(scripts);
        await using var world = await WorkloadIdentityWorld.StartAsync();
        var tokenFile = world.WriteTokenFile(world.MintToken() + "\n");

        var (exitCode, output) = await RunAsync("node", scripts, ["get-token.mjs", "https://vault.azure.net/.default"], new Dictionary<string, string>
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

    private static async Task EnsureInstalledAsync(string scripts)
    {
        await Install.WaitAsync();
        try
        {
            if (System.IO.Directory.Exists(Path.Combine(scripts, "node_modules", "@azure", "identity")))
            {
                return;
            }

            var (exitCode, output) = await RunAsync("npm", scripts, ["install", "--no-audit", "--no-fund", "--loglevel=error"], new Dictionary<string, string>());
            Assert.True(exitCode == 0, $"npm install @azure/identity failed (node and npm from Debian/npm are needed for this test):\n{output}");
        }
        finally
        {
            Install.Release();
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string directory, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
