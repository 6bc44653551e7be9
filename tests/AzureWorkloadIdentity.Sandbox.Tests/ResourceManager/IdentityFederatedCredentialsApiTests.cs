using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.ResourceManager.Resources;
using AzureWorkloadIdentity.Sandbox.Tests.Graph;

namespace AzureWorkloadIdentity.Sandbox.Tests.ResourceManager;

public sealed class IdentityFederatedCredentialsApiTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private const int Timeout = 30_000;
    private const string Issuer = "https://oidc.example.com/issuer/";
    private const string Subject = "system:serviceaccount:default:workload";

    private static readonly ResourceIdentifier IdentityId =
        new($"{ArmSandbox.GroupId("rg")}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/workload");

    private static ResourceIdentifier CredentialId(string name) => new($"{IdentityId}/federatedIdentityCredentials/{name}");

    // GenericResourceData always serializes a location; the sandbox accepts and ignores it, as the brief requires.
    private static GenericResourceData Credential(string subject = Subject, string[]? audiences = null) => new(AzureLocation.WestUS)
    {
        Properties = BinaryData.FromObjectAsJson(new { issuer = Issuer, subject, audiences = audiences ?? ["api://AzureADTokenExchange"] }),
    };

    private static async Task<ArmSandbox> StartWithIdentityAsync(TlsFixture tls)
    {
        var sandbox = await ArmSandbox.StartAsync(tls);
        sandbox.AddResourceGroup("rg");
        await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, IdentityId, new GenericResourceData(AzureLocation.WestUS));
        return sandbox;
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_GenericResourceWithLocation_StoresCredential()
    {
        await using var sandbox = await StartWithIdentityAsync(fixture);

        var created = await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, CredentialId("fic-1"), Credential());

        Assert.Equal(CredentialId("fic-1").ToString(), created.Value.Id.ToString());
        var properties = created.Value.Data.Properties.ToObjectFromJson<JsonElement>();
        Assert.Equal(Issuer, properties.GetProperty("issuer").GetString());
        var stored = Assert.Single(Assert.Single(sandbox.Directory.Snapshot.Identities.Values).FederatedCredentials);
        Assert.Equal(("fic-1", Issuer, Subject), (stored.Name, stored.Issuer, stored.Subject));
        Assert.Equal(["api://AzureADTokenExchange"], stored.Audiences);
    }

    [Fact(Timeout = Timeout)]
    public async Task GetAndList_AfterCreate_ReturnCredential()
    {
        await using var sandbox = await StartWithIdentityAsync(fixture);
        await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, CredentialId("fic-1"), Credential());

        var fetched = await sandbox.Client.GetGenericResource(CredentialId("fic-1")).GetAsync();
        var (status, list) = await sandbox.SendAsync(RequestMethod.Get, $"{IdentityId}/federatedIdentityCredentials?api-version=2023-01-31");

        Assert.Equal(Subject, fetched.Value.Data.Properties.ToObjectFromJson<JsonElement>().GetProperty("subject").GetString());
        Assert.Equal(200, status);
        Assert.Equal("fic-1", Assert.Single(list.GetProperty("value").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_SameNameAgain_UpdatesInPlace()
    {
        await using var sandbox = await StartWithIdentityAsync(fixture);
        var resources = sandbox.Client.GetGenericResources();
        await resources.CreateOrUpdateAsync(WaitUntil.Completed, CredentialId("fic-1"), Credential());

        var updated = await resources.CreateOrUpdateAsync(WaitUntil.Completed, CredentialId("fic-1"), Credential("system:serviceaccount:default:other"));

        Assert.Equal(200, updated.GetRawResponse().Status);
        var stored = Assert.Single(Assert.Single(sandbox.Directory.Snapshot.Identities.Values).FederatedCredentials);
        Assert.Equal("system:serviceaccount:default:other", stored.Subject);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("two-audiences", "Federated identity credentials must have exactly one audience.")]
    [InlineData("invalid=name", "Federated Identity Credential name 'invalid=name' is invalid.")]
    [InlineData("duplicate", "Issuer and subject combination already exists for this Managed Identity.")]
    public async Task CreateOrUpdate_Invalid_ThrowsBadRequestWithDocumentedMessage(string scenario, string message)
    {
        await using var sandbox = await StartWithIdentityAsync(fixture);
        var resources = sandbox.Client.GetGenericResources();
        await resources.CreateOrUpdateAsync(WaitUntil.Completed, CredentialId("existing"), Credential());
        var (id, data) = scenario switch
        {
            "two-audiences" => (CredentialId("fic-2"), Credential(audiences: ["api://AzureADTokenExchange", "api://other"])),
            "invalid=name" => (CredentialId("invalid=name"), Credential("system:serviceaccount:default:x")),
            _ => (CredentialId("fic-2"), Credential()),
        };

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => resources.CreateOrUpdateAsync(WaitUntil.Completed, id, data));

        Assert.Equal(400, error.Status);
        Assert.StartsWith(message.TrimEnd('.'), error.Message, StringComparison.Ordinal);
        Assert.Single(Assert.Single(sandbox.Directory.Snapshot.Identities.Values).FederatedCredentials);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_MissingIdentity_ThrowsParentNotFound()
    {
        await using var sandbox = await ArmSandbox.StartAsync(fixture);
        sandbox.AddResourceGroup("rg");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            sandbox.Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, CredentialId("fic-1"), Credential()));

        Assert.Equal(404, error.Status);
        Assert.StartsWith("The parent user-assigned identity doesn't exist.", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreateOrUpdate_TwentyFirst_ThrowsBadRequest()
    {
        await using var sandbox = await StartWithIdentityAsync(fixture);
        for (var i = 0; i < 20; i++)
        {
            var (status, _) = await sandbox.SendAsync(RequestMethod.Put, $"{CredentialId($"fic-{i}")}?api-version=2023-01-31", new
            {
                properties = new { issuer = Issuer, subject = $"system:serviceaccount:default:sa-{i}", audiences = new[] { "api://AzureADTokenExchange" } },
            });
            Assert.Equal(201, status);
        }

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => sandbox.Client.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, CredentialId("fic-20"), Credential("system:serviceaccount:default:sa-20")));

        Assert.Equal(400, error.Status);
        Assert.Equal(20, Assert.Single(sandbox.Directory.Snapshot.Identities.Values).FederatedCredentials.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task Delete_Credential_RemovesItAndSecondDeleteIs204()
    {
        await using var sandbox = await StartWithIdentityAsync(fixture);
        var created = await sandbox.Client.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, CredentialId("fic-1"), Credential());

        await created.Value.DeleteAsync(WaitUntil.Completed);
        var (status, _) = await sandbox.SendAsync(RequestMethod.Delete, $"{CredentialId("fic-1")}?api-version=2023-01-31");

        Assert.Empty(Assert.Single(sandbox.Directory.Snapshot.Identities.Values).FederatedCredentials);
        Assert.Equal(204, status);
    }
}
