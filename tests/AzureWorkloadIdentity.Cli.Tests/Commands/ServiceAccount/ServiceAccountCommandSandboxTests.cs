using System.Net;
using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;
using AzureWorkloadIdentity.Core;
using k8s;
using k8s.Autorest;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.ServiceAccount;

/// <summary>azwi serviceaccount create/delete end to end against the sandbox's Entra ID, Graph, Resource Manager and Kubernetes API.</summary>
public sealed class ServiceAccountCommandSandboxTests : IAsyncLifetime
{
    private const string Account = "azwi-sa";
    private SandboxCli _cli = null!;

    public async Task InitializeAsync() => _cli = await SandboxCli.StartAsync();

    public async Task DisposeAsync() => await _cli.DisposeAsync();

    private string AppName => WorkloadIdentityNames.ApplicationName("default", Account, _cli.Issuer);

    private string[] CreateArgs(params string[] extra) => _cli.Auth(
    [
        "serviceaccount", "create", "--service-account-name", Account, "--service-account-issuer-url", _cli.Issuer,
        "--azure-scope", $"/subscriptions/{_cli.Host.Directory.SubscriptionId}", "--azure-role", "Reader", .. extra,
    ]);

    [Fact(Timeout = 120_000)]
    public async Task Create_AllPhases_ObjectsExistWithDocumentedNamesLabelsAndAnnotations()
    {
        var run = await _cli.RunAsync(CreateArgs("--service-account-token-expiration", "2h"));

        Assert.True(run.ExitCode == 0, run.Error);
        var state = _cli.Host.Directory.Snapshot;
        var app = Assert.Single(state.Applications.Values, a => a.DisplayName == AppName);
        var sp = Assert.Single(state.ServicePrincipals.Values, s => s.AppId == app.AppId);
        var credential = Assert.Single(app.FederatedCredentials);
        Assert.Equal(_cli.Issuer, credential.Issuer);
        Assert.Equal("system:serviceaccount:default:azwi-sa", credential.Subject);
        Assert.Equal(["api://AzureADTokenExchange"], credential.Audiences);
        Assert.Equal(WorkloadIdentityNames.FederatedCredentialName("default", Account, _cli.Issuer), credential.Name);
        Assert.Single(state.RoleAssignments.Values, r => r.PrincipalId == sp.ObjectId);

        using var kubernetes = _cli.Kubernetes();
        var account = await kubernetes.CoreV1.ReadNamespacedServiceAccountAsync(Account, "default");
        Assert.Equal("true", account.Metadata.Labels[WorkloadIdentityLabels.Use]);
        Assert.Equal(app.AppId, account.Metadata.Annotations[WorkloadIdentityAnnotations.ClientId]);
        Assert.Equal(_cli.Host.Directory.TenantId, account.Metadata.Annotations[WorkloadIdentityAnnotations.TenantId]);
        Assert.Equal("7200", account.Metadata.Annotations[WorkloadIdentityAnnotations.ServiceAccountTokenExpiration]);

        Assert.Contains("[aad-application] created an AAD application", run.Error, StringComparison.Ordinal);
        Assert.Contains("[federated-identity] added federated credential", run.Error, StringComparison.Ordinal);
        Assert.Contains("[role-assignment] created role assignment", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Host.Operator.ClientSecret, run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact(Timeout = 120_000)]
    public async Task Create_Twice_SecondRunChangesNothingAndSaysSo()
    {
        var first = await _cli.RunAsync(CreateArgs("--skip-phases", "role-assignment"));
        Assert.True(first.ExitCode == 0, first.Error);
        var before = _cli.Host.Directory.Snapshot;
        using var kubernetes = _cli.Kubernetes();
        var accountBefore = await kubernetes.CoreV1.ReadNamespacedServiceAccountAsync(Account, "default");

        var second = await _cli.RunAsync(CreateArgs("--skip-phases", "role-assignment"));

        Assert.True(second.ExitCode == 0, second.Error);
        var after = _cli.Host.Directory.Snapshot;
        Assert.Equal(before.Applications.Count, after.Applications.Count);
        Assert.Equal(before.ServicePrincipals.Count, after.ServicePrincipals.Count);
        Assert.Single(Assert.Single(after.Applications.Values, a => a.DisplayName == AppName).FederatedCredentials);
        var accountAfter = await kubernetes.CoreV1.ReadNamespacedServiceAccountAsync(Account, "default");
        Assert.Equal(accountBefore.Metadata.ResourceVersion, accountAfter.Metadata.ResourceVersion);
        Assert.Contains("AAD application already exists", second.Error, StringComparison.Ordinal);
        Assert.Contains("already up to date", second.Error, StringComparison.Ordinal);
        Assert.Contains("federated credential has been previously created", second.Error, StringComparison.Ordinal);
        Assert.Contains("skipping phase", second.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Delete_AfterCreate_EverythingGoneAndSecondDeleteWarns()
    {
        Assert.Equal(0, (await _cli.RunAsync(CreateArgs("--skip-phases", "role-assignment"))).ExitCode);
        string[] delete = ["serviceaccount", "delete", "--service-account-name", Account, "--service-account-issuer-url", _cli.Issuer, "--skip-phases", "role-assignment"];

        var run = await _cli.RunAsync(_cli.Auth(delete));
        var again = await _cli.RunAsync(_cli.Auth(delete));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.DoesNotContain(_cli.Host.Directory.Snapshot.Applications.Values, a => a.DisplayName == AppName);
        using var kubernetes = _cli.Kubernetes();
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => kubernetes.CoreV1.ReadNamespacedServiceAccountAsync(Account, "default"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Contains("[aad-application] deleted aad application", run.Error, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("WARN", again.Error, StringComparison.Ordinal);
        Assert.Contains("not found", again.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Create_IssuerFlagOmitted_UsesClusterIssuerByteForByte()
    {
        var run = await _cli.RunAsync(_cli.Auth("sa", "create", "--service-account-name", Account, "--skip-phases", "role-assignment"));

        Assert.True(run.ExitCode == 0, run.Error);
        var app = Assert.Single(_cli.Host.Directory.Snapshot.Applications.Values, a => a.DisplayName == AppName);
        Assert.Equal(_cli.Issuer, Assert.Single(app.FederatedCredentials).Issuer);
    }

    [Fact(Timeout = 120_000)]
    public async Task CreateThenDelete_NameAndIssuerDerived_EachNoticePrintedOncePerRun()
    {
        string[] names = ["--service-account-name", Account, "--azure-scope", $"/subscriptions/{_cli.Host.Directory.SubscriptionId}", "--azure-role", "Reader"];

        var create = await _cli.RunAsync(_cli.Auth(["sa", "create", .. names]));
        var delete = await _cli.RunAsync(_cli.Auth(["sa", "delete", .. names]));

        Assert.True(create.ExitCode == 0, create.Error);
        Assert.True(delete.ExitCode == 0, delete.Error);
        foreach (var run in new[] { create, delete })
        {
            Assert.Equal(1, Lines(run.Error, "--aad-application-name not specified"));
            Assert.Equal(1, Lines(run.Error, "using the issuer URL from the cluster"));
        }

        Assert.Equal(1, Lines(create.Error, "--service-principal-name not specified"));
        Assert.Contains("[role-assignment] deleted role assignment", delete.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Host.Directory.Snapshot.Applications.Values, a => a.DisplayName == AppName);
    }

    [Fact(Timeout = 120_000)]
    public async Task PhaseSubcommand_ApplicationOnly_CreatesApplicationButNoServiceAccount()
    {
        var run = await _cli.RunAsync(_cli.Auth("sa", "create", "phase", "app", "--aad-application-name", "only-app"));

        Assert.True(run.ExitCode == 0, run.Error);
        var app = Assert.Single(_cli.Host.Directory.Snapshot.Applications.Values, a => a.DisplayName == "only-app");
        Assert.Empty(app.FederatedCredentials);
        using var kubernetes = _cli.Kubernetes();
        var accounts = await kubernetes.CoreV1.ListNamespacedServiceAccountAsync("default");
        Assert.DoesNotContain(accounts.Items, a => a.Metadata.Name == Account);
    }

    [Fact(Timeout = 120_000)]
    public async Task Create_ExpirationOutOfRange_FailsBeforeAnyChange()
    {
        var applications = _cli.Host.Directory.Snapshot.Applications.Count;

        var run = await _cli.RunAsync(CreateArgs("--service-account-token-expiration", "25h"));

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal(
            "Error: failed to run pre-run for phase service-account: --service-account-token-expiration must be less than or equal to 24h0m0s",
            run.Error.Trim().Split('\n')[^1]);
        Assert.Equal(applications, _cli.Host.Directory.Snapshot.Applications.Count);
    }

    [Fact(Timeout = 120_000)]
    public async Task Create_Debug_TracesRequestsWithoutSecrets()
    {
        var run = await _cli.RunAsync(CreateArgs("--skip-phases", "role-assignment", "--debug"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("DEBU", run.Error, StringComparison.Ordinal);
        Assert.Contains("http request", run.Error, StringComparison.Ordinal);
        Assert.Contains("/applications", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Host.Operator.ClientSecret, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", run.Error, StringComparison.Ordinal);
    }

    private static int Lines(string output, string text) =>
        output.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));
}
