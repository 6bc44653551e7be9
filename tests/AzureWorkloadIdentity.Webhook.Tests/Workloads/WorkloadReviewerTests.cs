using System.Text;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using AzureWorkloadIdentity.Webhook.Tests.Hosting;
using AzureWorkloadIdentity.Webhook.Workloads;

namespace AzureWorkloadIdentity.Webhook.Tests.Workloads;

/// <summary>Workload warnings: each case a workload, the cached accounts, and exactly the warnings expected; never denied, never patched.</summary>
public sealed class WorkloadReviewerTests
{
    private const string Use = "azure.workload.identity/use";
    private const string ClientId = "azure.workload.identity/client-id";

    public static TheoryData<string, string, string, string[]> Cases() => new()
    {
        // group, kind, workload, expected warning reasons
        { "apps", "Deployment", Workload(metadataUse: "true", templateUse: null), [WarningReasons.LabelNotOnTemplate] },
        { "apps", "StatefulSet", Workload(metadataUse: "true", templateUse: null), [WarningReasons.LabelNotOnTemplate] },
        { "apps", "DaemonSet", Workload(metadataUse: "true", templateUse: null), [WarningReasons.LabelNotOnTemplate] },
        { "apps", "ReplicaSet", Workload(metadataUse: "true", templateUse: null), [WarningReasons.LabelNotOnTemplate] },
        { "batch", "Job", Workload(metadataUse: "true", templateUse: null), [WarningReasons.LabelNotOnTemplate] },
        { "batch", "CronJob", CronJob(metadataUse: "true", templateUse: null), [WarningReasons.LabelNotOnTemplate] },
        { "apps", "Deployment", Workload(metadataUse: "true", templateUse: "true"), [] },
        { "apps", "Deployment", Workload(metadataUse: null, templateUse: "true"), [] },
        { "apps", "Deployment", Workload(metadataUse: null, templateUse: null), [] },
        { "apps", "Deployment", Workload(metadataUse: null, templateUse: "True"), [WarningReasons.UseNotTrue] },
        { "batch", "CronJob", CronJob(metadataUse: null, templateUse: "yes"), [WarningReasons.UseNotTrue] },
        { "apps", "Deployment", Workload(metadataUse: "true", templateUse: "yes"), [WarningReasons.UseNotTrue] },
        // "bare" is cached without a client id; "default" is too (in namespace apps) for templates naming no account.
        { "apps", "Deployment", Workload(metadataUse: null, templateUse: "true", serviceAccount: "bare"), [WarningReasons.MissingClientId] },
        { "apps", "Deployment", Workload(metadataUse: null, templateUse: "true", serviceAccount: ""), [WarningReasons.MissingClientId] },
        { "batch", "CronJob", CronJob(metadataUse: null, templateUse: "true", serviceAccount: "bare"), [WarningReasons.MissingClientId] },
        { "apps", "Deployment", Workload(metadataUse: null, templateUse: "true", serviceAccount: "bare", clientIdEnv: true), [] },
        // Not in the cache: not judged (no API call per admission).
        { "apps", "Deployment", Workload(metadataUse: null, templateUse: "true", serviceAccount: "unknown"), [] },
        { "apps", "Deployment", Workload(metadataUse: "true", templateUse: null, serviceAccount: "bare"), [WarningReasons.LabelNotOnTemplate] },
        { "apps", "Deployment", Workload(metadataUse: null, templateUse: "true", serviceAccount: "near"), [WarningReasons.NearMissKey] },
    };

    [Theory(Timeout = 10_000)]
    [MemberData(nameof(Cases))]
    public async Task ReviewAsync_Case_AllowedWithExactlyTheseWarnings(string group, string kind, string workload, string[] reasons)
    {
        var decision = await ReviewAsync(group, kind, JsonNode.Parse(workload)!.AsObject());

        Assert.True(decision.Response.Allowed);
        Assert.Null(decision.Response.Patch);
        Assert.Null(decision.Response.PatchType);
        Assert.Equal(MutationOutcome.Skipped, decision.Outcome);
        Assert.Equal(AdmissionReasons.Workload, decision.Reason);
        Assert.Equal(reasons, (decision.Warnings ?? []).Select(w => w.Reason));
        Assert.Equal((decision.Warnings ?? []).Select(w => w.Message), decision.Response.Warnings ?? []);
        Assert.All(decision.Response.Warnings ?? [], message => Assert.StartsWith($"{kind}/web: ", message, StringComparison.Ordinal));
    }

    [Fact(Timeout = 10_000)]
    public async Task ReviewAsync_LabelOnCronJobMetadataOnly_MessageNamesTheTemplatePathAndTheFix()
    {
        var decision = await ReviewAsync("batch", "CronJob", JsonNode.Parse(CronJob(metadataUse: "true", templateUse: null))!.AsObject());

        Assert.Equal(
            "CronJob/web: label azure.workload.identity/use is on the CronJob's own metadata but not on its pod template " +
            "(spec.jobTemplate.spec.template.metadata.labels): its pods do not opt in to Azure workload identity; move the label to the pod template",
            Assert.Single(decision.Response.Warnings!));
    }

    [Theory(Timeout = 10_000)]
    [InlineData("apps", "ControllerRevision", "CREATE", AdmissionReasons.NotAWorkload)]
    [InlineData("", "Pod", "CREATE", AdmissionReasons.NotAWorkload)]
    [InlineData("apps", "Deployment", "DELETE", AdmissionReasons.NotCreate)]
    public async Task ReviewAsync_NotAWorkloadCreateOrUpdate_AllowedWithoutWarnings(string group, string kind, string operation, string reason)
    {
        var decision = await ReviewAsync(group, kind, JsonNode.Parse(Workload(metadataUse: "true", templateUse: null))!.AsObject(), operation);

        Assert.True(decision.Response.Allowed);
        Assert.Null(decision.Response.Patch);
        Assert.Null(decision.Response.Warnings);
        Assert.Equal(reason, decision.Reason);
    }

    [Fact(Timeout = 10_000)]
    public async Task ReviewAsync_Update_WarnsLikeCreate()
    {
        var decision = await ReviewAsync("apps", "Deployment", JsonNode.Parse(Workload(metadataUse: "true", templateUse: null))!.AsObject(), "UPDATE");

        Assert.Equal([WarningReasons.LabelNotOnTemplate], decision.Warnings!.Select(w => w.Reason));
    }

    private static async Task<AdmissionDecision> ReviewAsync(string group, string kind, JsonObject workload, string operation = "CREATE")
    {
        var lookup = new InMemoryServiceAccountLookup();
        lookup.Add(Account("bare", new Dictionary<string, string>()));
        lookup.Add(Account("default", new Dictionary<string, string>()));
        lookup.Add(Account("with-id", new Dictionary<string, string> { [ClientId] = "11111111-2222-3333-4444-555555555555" }));
        lookup.Add(Account("near", new Dictionary<string, string> { [ClientId] = "11111111-2222-3333-4444-555555555555", ["azure.workload.identity/client_id"] = "x" }));
        var reviewer = new WorkloadReviewer(lookup);
        var review = AdmissionReviews.CreateWorkload(workload, group, kind, operation);

        var decoded = AdmissionDecoder.Decode<WorkloadView>(Encoding.UTF8.GetBytes(review.ToJsonString()), "application/json");
        return await reviewer.ReviewAsync(decoded.Review!.Request!, AdmissionDeadline.None);
    }

    private static ServiceAccountIdentity Account(string name, Dictionary<string, string> annotations) =>
        new("apps", name, new Dictionary<string, string>(), annotations);

    private static string Workload(string? metadataUse, string? templateUse, string serviceAccount = "with-id", bool clientIdEnv = false) =>
        new JsonObject
        {
            ["metadata"] = Metadata(metadataUse, "web"),
            ["spec"] = new JsonObject { ["template"] = Template(templateUse, serviceAccount, clientIdEnv) },
        }.ToJsonString();

    private static string CronJob(string? metadataUse, string? templateUse, string serviceAccount = "with-id") =>
        new JsonObject
        {
            ["metadata"] = Metadata(metadataUse, "web"),
            ["spec"] = new JsonObject
            {
                ["schedule"] = "* * * * *",
                ["jobTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = Template(templateUse, serviceAccount, false) } },
            },
        }.ToJsonString();

    private static JsonObject Template(string? use, string serviceAccount, bool clientIdEnv)
    {
        var container = new JsonObject { ["name"] = "app", ["image"] = "app:1" };
        if (clientIdEnv)
        {
            container["env"] = new JsonArray(new JsonObject { ["name"] = "AZURE_CLIENT_ID", ["value"] = "x" });
        }

        var spec = new JsonObject { ["containers"] = new JsonArray(container) };
        if (serviceAccount.Length > 0)
        {
            spec["serviceAccountName"] = serviceAccount;
        }

        return new JsonObject { ["metadata"] = Metadata(use, null), ["spec"] = spec };
    }

    private static JsonObject Metadata(string? use, string? name)
    {
        var metadata = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } };
        if (name is not null)
        {
            metadata["name"] = name;
        }

        if (use is not null)
        {
            metadata["labels"]![Use] = use;
        }

        return metadata;
    }
}
