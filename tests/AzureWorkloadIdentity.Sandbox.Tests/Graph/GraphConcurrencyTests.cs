using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace AzureWorkloadIdentity.Sandbox.Tests.Graph;

public sealed class GraphConcurrencyTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    [Fact(Timeout = 60_000)]
    public async Task CreateCredentials_ThirtyInParallel_KeepsExactlyTwenty()
    {
        await using var sandbox = await GraphSandbox.StartAsync(fixture);
        var app = await sandbox.Client.Applications.PostAsync(new Application { DisplayName = "parallel" });
        var credentials = sandbox.Client.Applications[app!.Id].FederatedIdentityCredentials;

        var attempts = Enumerable.Range(0, 30).Select(async i =>
        {
            try
            {
                await credentials.PostAsync(new FederatedIdentityCredential
                {
                    Name = $"credential-{i}",
                    Issuer = "https://issuer.example/",
                    Subject = $"system:serviceaccount:default:sa-{i}",
                    Audiences = ["api://AzureADTokenExchange"],
                });
                return true;
            }
            catch (ODataError e) when (e.Error?.Code == "Request_BadRequest")
            {
                return false;
            }
        });
        var results = await Task.WhenAll(attempts);

        Assert.Equal(20, results.Count(created => created));
        Assert.Equal(20, sandbox.Directory.Snapshot.Applications[app.Id!].FederatedCredentials.Count);
    }
}
