using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;
using AzureWorkloadIdentity.Core;
using k8s;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.ServiceAccount;

/// <summary>The user-assigned managed identity flow against the sandbox's Resource Manager and Kubernetes API.</summary>
public sealed class ManagedIdentitySandboxTests : IAsyncLifetime
{
    private const string Account = "uami-sa";
    private const string Identity = "workload-uami";
    private const string Group = "azwi-rg";
    private SandboxCli _cli = null!;

    public async Task InitializeAsync() => _cli = await SandboxCli.StartAsync();

    public async Task DisposeAsync() => await _cli.DisposeAsync();

    private string[] Create() => _cli.Auth(
        "sa", "create", "--service-account-name", Account, "--service-account-issuer-url", _cli.Issuer,
        "--user-assigned-identity-name", Identity, "--resource-group", Group,
        "--azure-scope", $"/subscriptions/{_cli.Host.Directory.SubscriptionId}", "--azure-role", "Reader");

    [Fact(Timeout = 120_000)]
    public async Task Create_UserAssignedIdentity_GroupIdentityCredentialRoleAndServiceAccount()
    {
        var run = await _cli.RunAsync(Create());

        Assert.True(run.ExitCode == 0, run.Error);
        var state = _cli.Host.Directory.Snapshot;
        Assert.Contains(state.ResourceGroups.Values, g => g.Name == Group);
        var identity = Assert.Single(state.Identities.Values, i => i.Name == Identity);
        var credential = Assert.Single(identity.FederatedCredentials);
        Assert.Equal(_cli.Issuer, credential.Issuer);
        Assert.Equal($"system:serviceaccount:default:{Account}", credential.Subject);
        Assert.Equal(WorkloadIdentityNames.ManagedIdentityCredentialName("default", Account, _cli.Issuer), credential.Name);
        Assert.Single(state.RoleAssignments.Values, r => r.PrincipalId == identity.PrincipalId);
        Assert.DoesNotContain(state.Applications.Values, a => a.DisplayName.StartsWith("default-" + Account, StringComparison.Ordinal));
        using var kubernetes = _cli.Kubernetes();
        var account = await kubernetes.CoreV1.ReadNamespacedServiceAccountAsync(Account, "default");
        Assert.Equal(identity.ClientId, account.Metadata.Annotations[WorkloadIdentityAnnotations.ClientId]);
    }

    [Fact(Timeout = 120_000)]
    public async Task CreateTwiceThenDelete_UserAssignedIdentity_NoChangeThenGone()
    {
        Assert.Equal(0, (await _cli.RunAsync(Create())).ExitCode);
        var second = await _cli.RunAsync(Create());
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("user-assigned identity already exists", second.Error, StringComparison.Ordinal);
        Assert.Single(Assert.Single(_cli.Host.Directory.Snapshot.Identities.Values, i => i.Name == Identity).FederatedCredentials);

        var delete = await _cli.RunAsync(_cli.Auth(
            "sa", "delete", "--service-account-name", Account, "--service-account-issuer-url", _cli.Issuer,
            "--user-assigned-identity-name", Identity, "--resource-group", Group, "--skip-phases", "role-assignment"));

        Assert.True(delete.ExitCode == 0, delete.Error);
        Assert.DoesNotContain(_cli.Host.Directory.Snapshot.Identities.Values, i => i.Name == Identity);
        Assert.Contains("[aad-application] deleted user-assigned identity", delete.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Delete_UserAssignedIdentityScopeWithoutAssignmentId_DeletesTheIdentitysAssignment()
    {
        Assert.Equal(0, (await _cli.RunAsync(Create())).ExitCode);
        var principalId = Assert.Single(_cli.Host.Directory.Snapshot.Identities.Values, i => i.Name == Identity).PrincipalId;

        var delete = await _cli.RunAsync(_cli.Auth(
            "sa", "delete", "--service-account-name", Account, "--service-account-issuer-url", _cli.Issuer,
            "--user-assigned-identity-name", Identity, "--resource-group", Group,
            "--azure-scope", $"/subscriptions/{_cli.Host.Directory.SubscriptionId}"));

        Assert.True(delete.ExitCode == 0, delete.Error);
        Assert.DoesNotContain(_cli.Host.Directory.Snapshot.RoleAssignments.Values, r => r.PrincipalId == principalId);
        Assert.Contains("[role-assignment] deleted role assignment", delete.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Create_IdentityWithoutResourceGroup_FailsBeforeAnyChange()
    {
        var run = await _cli.RunAsync(_cli.Auth("sa", "create", "--service-account-name", Account, "--service-account-issuer-url", _cli.Issuer,
            "--user-assigned-identity-name", Identity));

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.EndsWith("--resource-group is required with --user-assigned-identity-name", run.Error.Trim(), StringComparison.Ordinal);
        Assert.Empty(_cli.Host.Directory.Snapshot.Identities);
    }
}
