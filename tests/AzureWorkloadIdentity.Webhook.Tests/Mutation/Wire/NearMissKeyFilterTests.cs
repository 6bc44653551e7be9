using System.Text;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation.Wire;

/// <summary>The byte pre-filter never hides a near miss the exact check would find, and keeps unrelated keys as bytes.</summary>
public sealed class NearMissKeyFilterTests
{
    public static TheoryData<string> Keys() => new()
    {
        "azure.workload.identity/client_id", "azure.workload.identity/clientid", "azure.workload.identity.io/client-id",
        "Azure.Workload.Identity/Use", "workload.identity/use", "azure-workload-identity.io/tenant_id", "azure.workload.identity/use",
        "azure.workload.identity/client-id", "app.kubernetes.io/name", "pod-template-hash", "workload/identity", "identity.workload/use",
        "wörkload.identity/use", "azure.workload.identity/", "/use", "azure.workload.identity\u212A/use",
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Parse_AnyLabelOrAnnotationKey_SameNearMissAsTheExactCheck(string key)
    {
        var expected = WorkloadIdentityNearMiss.Intended(key);
        var json = JsonSerializerEscaped(key);

        var pod = PodView.Parse(Encoding.UTF8.GetBytes("{\"metadata\":{\"labels\":{" + json + ":\"v\"},\"annotations\":{" + json + ":\"v\"}}}"));

        Assert.Equal(expected, pod.Metadata.NearMissLabels?.Single().Intended);
        Assert.Equal(expected, pod.Metadata.NearMissAnnotations?.Single().Intended);
        Assert.Equal(expected is null ? null : key, pod.Metadata.NearMissLabels?.Single().Key);
    }

    private static string JsonSerializerEscaped(string key) => System.Text.Json.JsonSerializer.Serialize(key);
}
