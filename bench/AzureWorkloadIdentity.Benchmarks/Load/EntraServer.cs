using AzureWorkloadIdentity.Sandbox.Hosting;

namespace AzureWorkloadIdentity.Benchmarks.Load;

/// <summary>
/// <c>serve-entra &lt;env-file&gt;</c>: the sandbox (Entra ID and its OIDC issuer) with one application whose federated
/// credential trusts <c>system:serviceaccount:default:bench</c>, and a projected token for that account; writes the
/// proxy's environment (tenant, authority, token file, client id, <c>SSL_CERT_FILE</c>) as <c>NAME=value</c> lines and
/// serves until stdin closes. bench/load/proxy-load.sh runs the proxy against it.
/// </summary>
public static class EntraServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var envFile = args[0];
        await using var host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero });
        var appId = host.AddApplication("bench", "system:serviceaccount:default:bench");
        var tokenFile = host.WriteServiceAccountToken("default", "bench", path: Path.Combine(host.WorkDirectory, "bench-token"));
        string[] environment =
        [
            $"AZURE_TENANT_ID={host.Directory.TenantId}",
            $"AZURE_AUTHORITY_HOST={host.AuthorityHost}",
            $"AZURE_FEDERATED_TOKEN_FILE={tokenFile}",
            $"AZURE_CLIENT_ID={appId}",
            $"SSL_CERT_FILE={host.CaBundlePath}",
        ];
        await File.WriteAllLinesAsync(envFile + ".tmp", environment);
        File.Move(envFile + ".tmp", envFile, overwrite: true);
        await Console.Out.WriteLineAsync($"sandbox Entra ID at {host.AuthorityHost}, application {appId}");
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
