using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Benchmarks.Load;

/// <summary>
/// <c>serve-entra &lt;env-file&gt;</c>: the sandbox (Entra ID and its OIDC issuer) with one application whose federated
/// credential trusts <c>system:serviceaccount:default:bench</c>, and a projected token for that account; writes the
/// proxy's environment (tenant, authority, token file, client id, <c>SSL_CERT_FILE</c>) as <c>NAME=value</c> lines and
/// serves until stdin closes. bench/load/proxy-load.sh runs the proxy against it.
/// </summary>
public static class EntraServer
{
    private const string Audience = "api://AzureADTokenExchange";

    public static async Task<int> RunAsync(string[] args)
    {
        var envFile = args[0];
        await using var host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero });
        var directory = host.Directory;
        var credential = new FederatedCredential(Guid.NewGuid().ToString(), "bench", host.IssuerUrl, "system:serviceaccount:default:bench", [Audience]);
        var appId = directory.Update(state =>
        {
            var now = directory.Time.GetUtcNow();
            var app = new Application(directory.TenantId, Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), "bench", now, [credential], []);
            var principal = new ServicePrincipal(directory.TenantId, Guid.NewGuid().ToString(), app.AppId, "bench", now);
            return (state with
            {
                Applications = state.Applications.With(app.ObjectId, app),
                ServicePrincipals = state.ServicePrincipals.With(principal.ObjectId, principal),
            }, app.AppId);
        });

        var issued = directory.Time.GetUtcNow();
        var tokenFile = Path.Combine(host.WorkDirectory, "bench-token");
        await File.WriteAllTextAsync(tokenFile, host.Issuer.Sign(new ServiceAccountTokenClaims("default", "bench", Guid.NewGuid().ToString(), [Audience], issued, issued.AddHours(1))));
        string[] environment =
        [
            $"AZURE_TENANT_ID={directory.TenantId}",
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
