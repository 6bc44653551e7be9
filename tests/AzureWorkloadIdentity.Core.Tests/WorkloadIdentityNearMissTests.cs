namespace AzureWorkloadIdentity.Core.Tests;

public sealed class WorkloadIdentityNearMissTests
{
    [Theory]
    [InlineData("azure.workload.identity/client_id", "azure.workload.identity/client-id")]
    [InlineData("azure.workload.identity/clientid", "azure.workload.identity/client-id")]
    [InlineData("azure.workload.identity/ClientId", "azure.workload.identity/client-id")]
    [InlineData("azure.workload.identity.io/client-id", "azure.workload.identity/client-id")]
    [InlineData("azure-workload-identity/tenant-id", "azure.workload.identity/tenant-id")]
    [InlineData("workload.identity/use", "azure.workload.identity/use")]
    [InlineData("azure.workload.identity/skip_containers", "azure.workload.identity/skip-containers")]
    public void Intended_NearMiss_ReturnsOurKey(string key, string intended) =>
        Assert.Equal(intended, WorkloadIdentityNearMiss.Intended(key));

    [Theory]
    [InlineData("azure.workload.identity/client-id")]
    [InlineData("azure.workload.identity/use")]
    [InlineData("azure.workload.identity/injected")]
    [InlineData("app.kubernetes.io/name")]
    [InlineData("client-id")]
    [InlineData("example.com/client-id")]
    [InlineData("azure.workload.identity/")]
    public void Intended_OursOrUnrelated_ReturnsNull(string key) =>
        Assert.Null(WorkloadIdentityNearMiss.Intended(key));
}
