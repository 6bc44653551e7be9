using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Quickstart;
using k8s;
using k8s.Autorest;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// What the original project's azwi workflow checks, against the local cluster and cloud: <c>serviceaccount create</c>
/// with a 10 h expiration and without the role-assignment phase yields the labelled, annotated service account and the
/// application with its federated credential; the cleanup runs <c>serviceaccount delete phase app</c> and
/// <c>phase sa</c>, after which both are gone.
/// </summary>
public sealed class AzwiWorkflowTests
{
    private const int Timeout = 120_000;

    [Fact(Timeout = Timeout)]
    public async Task CreateThenDeleteByPhases_AsTheOriginalWorkflow()
    {
        using var log = new StringWriter();
        await using var host = await SandboxHost.StartAsync(new SandboxOptions { PrincipalReplicationDelay = TimeSpan.Zero });
        using var kubectl = host.Kubernetes.CreateClient();
        var azwi = new AzwiInvoker(host, log);
        string[] names = ["--aad-application-name", "azwi-e2e-app", "--service-account-namespace", "azwi", "--service-account-name", "azwi-sa"];

        await azwi.RunAsync(
            ["serviceaccount", "create", .. names, "--service-account-issuer-url", host.IssuerUrl,
             "--service-account-token-expiration", "10h", "--skip-phases", "role-assignment"],
            CancellationToken.None);

        var app = Assert.Single(host.Directory.Snapshot.Applications.Values, a => a.DisplayName == "azwi-e2e-app");
        var account = await kubectl.CoreV1.ReadNamespacedServiceAccountAsync("azwi-sa", "azwi");
        Assert.Equal("true", account.Metadata.Labels["azure.workload.identity/use"]);
        Assert.Equal(app.AppId, account.Metadata.Annotations["azure.workload.identity/client-id"]);
        Assert.Equal(host.Directory.TenantId, account.Metadata.Annotations["azure.workload.identity/tenant-id"]);
        Assert.Equal("36000", account.Metadata.Annotations["azure.workload.identity/service-account-token-expiration"]);
        var credential = Assert.Single(app.FederatedCredentials);
        Assert.Equal(host.IssuerUrl, credential.Issuer);
        Assert.Equal("system:serviceaccount:azwi:azwi-sa", credential.Subject);
        Assert.DoesNotContain(host.Directory.Snapshot.RoleAssignments.Values, r => r.PrincipalId != host.Operator.ObjectId);

        await azwi.RunAsync(["serviceaccount", "delete", "phase", "app", "--aad-application-name", "azwi-e2e-app"], CancellationToken.None);
        var deleted = await Record.ExceptionAsync(() => azwi.RunAsync(["serviceaccount", "delete", "phase", "sa", "--service-account-namespace", "azwi", "--service-account-name", "azwi-sa"], CancellationToken.None));
        Assert.True(deleted is null, $"{deleted?.Message}\n{log}");

        Assert.DoesNotContain(host.Directory.Snapshot.Applications.Values, a => a.DisplayName == "azwi-e2e-app");
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => kubectl.CoreV1.ReadNamespacedServiceAccountAsync("azwi-sa", "azwi"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.Response.StatusCode);
    }
}
