using Azure.Core;
using AzureWorkloadIdentity.Sandbox.Tests.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Sandbox.Tests.ResourceManager;

/// <summary>
/// The calls `azwi serviceaccount create` and `delete` make, in order, against Graph and Resource Manager sharing one
/// directory: the two stand-ins must agree on principals, and the role assignment must need azwi's retry.
/// </summary>
public sealed class AzwiFlowTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const string Issuer = "https://oidc.example.com/issuer/";
    private const string Subject = "system:serviceaccount:default:workload";
    private const string AppName = "default-workload-t4BxHnnPeJsOfTLIBFbdKeRHdVMaIRdxwkxwF13SvKw=";

    [Fact(Timeout = 60_000)]
    public async Task CreateThenDelete_AzwiSequence_LeavesNothingBehind()
    {
        await using var arm = await ArmSandbox.StartAsync(fixture);
        await using var graph = await GraphSandbox.StartAsync(fixture, directory: arm.Directory);
        var filterName = $"displayName eq '{AppName.Replace("'", "''", StringComparison.Ordinal)}'";

        // aad-application: look up by display name, create when absent; same for the service principal.
        var existing = await graph.Client.Applications.GetAsync(r => r.QueryParameters.Filter = filterName);
        Assert.Empty(existing!.Value!);
        var app = await graph.Client.Applications.PostAsync(new Application { DisplayName = AppName });
        var sp = await graph.Client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = app!.AppId, Tags = ["azwi version: test"] });

        // federated-identity: a second create is "already exists", which azwi treats as success.
        // A fresh object per call: the SDK's backing store sends only properties changed since the last serialization.
        static FederatedIdentityCredential Credential() => new()
        {
            Name = "kT1Zc2Vn3Bv6-yHc2J8hT9pT1mN2kq0b3f5xYz_A12c=",
            Issuer = Issuer,
            Subject = Subject,
            Audiences = ["api://AzureADTokenExchange"],
            Description = "Federated Service Account for default/workload",
        };
        await graph.Client.Applications[app.Id].FederatedIdentityCredentials.PostAsync(Credential());
        var again = await Assert.ThrowsAsync<ODataError>(() => graph.Client.Applications[app.Id].FederatedIdentityCredentials.PostAsync(Credential()));
        Assert.Equal("Request_MultipleObjectsWithSameKeyValue", again.Error?.Code);

        // role-assignment: role definition by name at the empty scope, then PUT without principalType, retried.
        var (_, roles) = await arm.SendAsync(
            RequestMethod.Get, "providers/Microsoft.Authorization/roleDefinitions?$filter=roleName%20eq%20%27Reader%27&api-version=2022-04-01");
        var roleId = Assert.Single(roles.GetProperty("value").EnumerateArray()).GetProperty("id").GetString();
        var assignmentPath = $"subscriptions/{ArmSandbox.SubscriptionId}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2018-01-01-preview";
        var body = new { properties = new { roleDefinitionId = roleId, principalId = sp!.Id } };
        var attempts = new List<int>();
        for (var attempt = 0; attempt < 7; attempt++)
        {
            var (status, _) = await arm.SendAsync(RequestMethod.Put, assignmentPath, body);
            attempts.Add(status);
            if (status == 201)
            {
                break;
            }

            arm.Time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal([400, 201], attempts);
        var (duplicate, _) = await arm.SendAsync(RequestMethod.Put, assignmentPath, body);
        Assert.Equal(409, duplicate);

        // delete: role assignment by id, then the application (its credentials and service principal go with it).
        var (deleted, _) = await arm.SendAsync(RequestMethod.Delete, assignmentPath);
        var (deletedAgain, _) = await arm.SendAsync(RequestMethod.Delete, assignmentPath);
        await graph.Client.Applications[app.Id].DeleteAsync();

        Assert.Equal((200, 204), (deleted, deletedAgain));
        var state = arm.Directory.Snapshot;
        Assert.Empty(state.Applications);
        Assert.Empty(state.ServicePrincipals);
        Assert.Empty(state.RoleAssignments);
    }
}
