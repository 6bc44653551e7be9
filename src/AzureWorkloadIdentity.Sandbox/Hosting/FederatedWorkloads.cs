using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Sandbox.Hosting;

/// <summary>
/// A workload identity without a cluster, for benchmarks and tests of the token exchange alone: an application (with
/// its service principal) whose federated credential trusts a service account of the sandbox's issuer, and a
/// projected-token file for that account as the kubelet would write it.
/// </summary>
internal static class FederatedWorkloads
{
    /// <summary>The audience the webhook's projected token carries, and federated credentials expect.</summary>
    public const string Audience = "api://AzureADTokenExchange";

    /// <summary>Adds the application; returns its client (app) id.</summary>
    public static string AddApplication(this SandboxHost host, string displayName, string subject)
    {
        ArgumentNullException.ThrowIfNull(host);
        var directory = host.Directory;
        var credential = new FederatedCredential(Guid.NewGuid().ToString(), displayName, host.IssuerUrl, subject, [Audience]);
        return directory.Update(state =>
        {
            var now = directory.Time.GetUtcNow();
            var app = new Application(directory.TenantId, Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), displayName, now, [credential], []);
            var principal = new ServicePrincipal(directory.TenantId, Guid.NewGuid().ToString(), app.AppId, displayName, now);
            return (state with
            {
                Applications = state.Applications.With(app.ObjectId, app),
                ServicePrincipals = state.ServicePrincipals.With(principal.ObjectId, principal),
            }, app.AppId);
        });
    }

    /// <summary>
    /// Writes a token for <c>system:serviceaccount:<paramref name="namespace"/>:<paramref name="serviceAccount"/></c>,
    /// valid for an hour from <paramref name="issuedAt"/> (default: the sandbox's now), to <paramref name="path"/>
    /// (default: a new file in the host's work folder), as the kubelet rotates one (written aside, renamed over, so a
    /// reader never sees half a token); returns the path.
    /// </summary>
    public static string WriteServiceAccountToken(
        this SandboxHost host, string @namespace, string serviceAccount, DateTimeOffset? issuedAt = null, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var issued = issuedAt ?? host.Directory.Time.GetUtcNow();
        var token = host.Issuer.Sign(new ServiceAccountTokenClaims(@namespace, serviceAccount, Guid.NewGuid().ToString(), [Audience], issued, issued.AddHours(1)));
        path ??= Path.Combine(host.WorkDirectory, "token-" + Guid.NewGuid().ToString("N"));
        var aside = path + ".new";
        File.WriteAllText(aside, token + "\n");
        File.Move(aside, path, overwrite: true);
        return path;
    }
}
