using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Tests.Mutation;

/// <summary>Rule 10: each near miss the webhook can see becomes exactly one warning with its reason; a clean pod gets none.</summary>
public sealed class NearMissRuleTests
{
    private const string Client = """{"azure.workload.identity/client-id":"11111111-2222-3333-4444-555555555555"}""";

    public static TheoryData<string, string, bool, string?> Cases() => new()
    {
        // pod, service account annotations, opted in, expected reason (null = no warning)
        { """{"metadata":{"labels":{"azure.workload.identity/use":"true"}},"spec":{"containers":[{"name":"app"}]}}""", Client, true, null },
        { """{"metadata":{"labels":{"azure.workload.identity/use":"True"}},"spec":{"containers":[{"name":"app"}]}}""", Client, false, WarningReasons.UseNotTrue },
        { """{"metadata":{"labels":{"azure.workload.identity/use":"yes"}},"spec":{"containers":[{"name":"app"}]}}""", Client, false, WarningReasons.UseNotTrue },
        { """{"metadata":{"annotations":{"azure.workload.identity/client_id":"x"}},"spec":{"containers":[{"name":"app"}]}}""", Client, false, WarningReasons.NearMissKey },
        { """{"metadata":{"labels":{"azure.workload.identity.io/use":"true"}},"spec":{"containers":[{"name":"app"}]}}""", Client, false, WarningReasons.NearMissKey },
        { """{"metadata":{},"spec":{"containers":[{"name":"app"}]}}""", """{"azure.workload.identity/clientid":"x"}""", false, WarningReasons.NearMissKey },
        { """{"metadata":{},"spec":{"containers":[{"name":"app"}]}}""", "{}", true, WarningReasons.MissingClientId },
        { """{"metadata":{},"spec":{"containers":[{"name":"app","env":[{"name":"AZURE_CLIENT_ID","value":"x"}]}]}}""", "{}", true, null },
        { """{"metadata":{"annotations":{"azure.workload.identity/skip-containers":"sidecr"}},"spec":{"containers":[{"name":"app"},{"name":"sidecar"}]}}""", Client, true, WarningReasons.UnknownSkipContainer },
        { """{"metadata":{"annotations":{"azure.workload.identity/skip-containers":"init"}},"spec":{"initContainers":[{"name":"init"}],"containers":[{"name":"app"}]}}""", Client, true, null },
        { """{"metadata":{"annotations":{"azure.workload.identity/inject-proxy-sidecar":"true"}},"spec":{"containers":[{"name":"app"}]}}""", Client, false, WarningReasons.ProxyWithoutOptIn },
        { """{"metadata":{"annotations":{"azure.workload.identity/inject-proxy-sidecar":"true"}},"spec":{"containers":[{"name":"app"}]}}""", Client, true, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Collect_Case_WarnsExactlyTheNearMiss(string pod, string accountAnnotations, bool optedIn, string? reason)
    {
        var view = PodView.Parse(System.Text.Encoding.UTF8.GetBytes(pod));
        var account = new ServiceAccountIdentity("apps", "sa", new Dictionary<string, string>(),
            JsonSerializer.Deserialize<Dictionary<string, string>>(accountAnnotations)!);
        List<AdmissionWarning>? warnings = null;

        NearMissRule.Collect(view, account, optedIn, ref warnings);

        if (reason is null)
        {
            Assert.Null(warnings);
        }
        else
        {
            var warning = Assert.Single(warnings!);
            Assert.Equal(reason, warning.Reason);
            Assert.False(string.IsNullOrWhiteSpace(warning.Message));
        }
    }

    [Fact]
    public void Collect_NearMissKey_MessageNamesBothKeys()
    {
        var view = PodView.Parse("""{"metadata":{"annotations":{"azure.workload.identity/client_id":"x"}}}"""u8);
        List<AdmissionWarning>? warnings = null;

        NearMissRule.Collect(view, new("apps", "sa", new Dictionary<string, string>(), new Dictionary<string, string>()), false, ref warnings);

        Assert.Equal(
            "pod annotation 'azure.workload.identity/client_id' is ignored by the webhook; did you mean 'azure.workload.identity/client-id'?",
            Assert.Single(warnings!).Message);
    }

    [Fact]
    public void Collect_ServiceAccountUpdated_WarnsForTheAnnotationsOfTheAccountGiven()
    {
        var view = PodView.Parse("""{"metadata":{},"spec":{"containers":[{"name":"app"}]}}"""u8);
        var typo = new ServiceAccountIdentity("apps", "sa", new Dictionary<string, string>(),
            new Dictionary<string, string> { ["azure.workload.identity/clientid"] = "x", ["azure.workload.identity/client-id"] = "x" });
        var fixedAccount = typo with { Annotations = new Dictionary<string, string> { ["azure.workload.identity/client-id"] = "x" } };
        List<AdmissionWarning>? first = null, again = null, afterFix = null;

        NearMissRule.Collect(view, typo, true, ref first);
        NearMissRule.Collect(view, typo, true, ref again);
        NearMissRule.Collect(view, fixedAccount, true, ref afterFix);

        const string Expected = "service account apps/sa has annotation 'azure.workload.identity/clientid', which the webhook ignores; did you mean 'azure.workload.identity/client-id'?";
        Assert.Equal(Expected, Assert.Single(first!).Message);
        Assert.Equal(Expected, Assert.Single(again!).Message);
        Assert.Null(afterFix);
    }
}
