using AzureWorkloadIdentity.Cli.Commands.ServiceAccount;
using AzureWorkloadIdentity.Sandbox.Cloud;
using AzureWorkloadIdentity.Sandbox.ResourceManager.Authorization;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.ServiceAccount;

/// <summary>
/// <c>serviceaccount delete</c> without <c>--role-assignment-id</c>: the service principal's assignments at
/// <c>--azure-scope</c> (of <c>--azure-role</c>, when given) are looked up in Resource Manager and deleted.
/// </summary>
public sealed class RoleAssignmentDeleteSandboxTests : IAsyncLifetime
{
    private const string Account = "ra-sa";
    private SandboxCli _cli = null!;

    public async Task InitializeAsync() => _cli = await SandboxCli.StartAsync();

    public async Task DisposeAsync() => await _cli.DisposeAsync();

    private string Subscription => $"/subscriptions/{_cli.Host.Directory.SubscriptionId}";

    private string AppName => WorkloadIdentityNames.ApplicationName("default", Account, _cli.Issuer);

    private string[] Names => ["--service-account-name", Account, "--service-account-issuer-url", _cli.Issuer];

    [Fact(Timeout = 120_000)]
    public async Task Delete_ScopeAndRoleWithoutId_DeletesTheCreatedAssignmentAndTheApplication()
    {
        var created = await _cli.RunAsync(_cli.Auth(["sa", "create", .. Names, "--azure-scope", Subscription, "--azure-role", "Reader"]));
        Assert.True(created.ExitCode == 0, created.Error);
        var principal = PrincipalId();
        var operatorAssignments = AssignmentsOf(_cli.Host.Operator.ObjectId).Length;

        var run = await _cli.RunAsync(_cli.Auth(["sa", "delete", .. Names, "--azure-scope", Subscription, "--azure-role", "Reader"]));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Empty(AssignmentsOf(principal));
        Assert.Equal(operatorAssignments, AssignmentsOf(_cli.Host.Operator.ObjectId).Length);
        Assert.DoesNotContain(_cli.Host.Directory.Snapshot.Applications.Values, a => a.DisplayName == AppName);
        Assert.Contains("[role-assignment] deleted role assignment", run.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task DeletePhase_RoleGiven_DeletesOnlyThatRoleAtThatScope()
    {
        var created = await _cli.RunAsync(_cli.Auth(["sa", "create", .. Names, "--azure-scope", Subscription, "--azure-role", "Reader"]));
        Assert.True(created.ExitCode == 0, created.Error);
        var principal = PrincipalId();
        Assign(principal, BuiltInRoles.Contributor);

        var run = await _cli.RunAsync(_cli.Auth(["sa", "delete", "phase", "role-assignment", .. Names, "--azure-scope", Subscription, "--azure-role", "Reader"]));

        Assert.True(run.ExitCode == 0, run.Error);
        var left = Assert.Single(AssignmentsOf(principal));
        Assert.Equal(BuiltInRoles.Contributor.IdAt(_cli.Host.Directory.SubscriptionId), left.RoleDefinitionId);
    }

    [Fact(Timeout = 120_000)]
    public async Task DeletePhase_ScopeWithoutAssignments_WarnsAndSucceeds()
    {
        var created = await _cli.RunAsync(_cli.Auth(["sa", "create", .. Names, "--skip-phases", "role-assignment"]));
        Assert.True(created.ExitCode == 0, created.Error);

        var run = await _cli.RunAsync(_cli.Auth(["sa", "delete", "phase", "ra", .. Names, "--azure-scope", Subscription]));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("WARN", run.Error, StringComparison.Ordinal);
        Assert.Contains("no role assignment found to delete", run.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Delete_NeitherIdNorScope_OneLineNamingTheFlagsAndNothingDeleted()
    {
        var created = await _cli.RunAsync(_cli.Auth(["sa", "create", .. Names, "--skip-phases", "role-assignment"]));
        Assert.True(created.ExitCode == 0, created.Error);

        var run = await _cli.RunAsync(_cli.Auth(["sa", "delete", .. Names]));

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var last = run.Error.Trim().Split('\n')[^1];
        Assert.StartsWith("Error: failed to run pre-run for phase role-assignment: --role-assignment-id is required", last, StringComparison.Ordinal);
        Assert.Contains("--azure-scope", last, StringComparison.Ordinal);
        Assert.Contains(_cli.Host.Directory.Snapshot.Applications.Values, a => a.DisplayName == AppName);
    }

    private string PrincipalId()
    {
        var state = _cli.Host.Directory.Snapshot;
        var app = state.Applications.Values.Single(a => a.DisplayName == AppName);
        return state.ServicePrincipals.Values.Single(p => p.AppId == app.AppId).ObjectId;
    }

    private RoleAssignment[] AssignmentsOf(string principalId) =>
        [.. _cli.Host.Directory.Snapshot.RoleAssignments.Values.Where(r => r.PrincipalId == principalId)];

    private void Assign(string principalId, BuiltInRole role)
    {
        var name = Guid.NewGuid().ToString();
        var id = $"{Subscription}/providers/Microsoft.Authorization/roleAssignments/{name}";
        var assignment = new RoleAssignment(id, name, Subscription, role.IdAt(_cli.Host.Directory.SubscriptionId), principalId, "ServicePrincipal");
        _cli.Host.Directory.Update(state => (state with { RoleAssignments = state.RoleAssignments.With(id, assignment) }, 0));
    }
}
