using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using AzureWorkloadIdentity.Webhook.Tests.Hosting;
using AzureWorkloadIdentity.Webhook.Tests.Mutation;

namespace AzureWorkloadIdentity.Webhook.Tests.Admission;

/// <summary>The decoder hands the reviewer <c>request.object</c> as a <see cref="PodView"/> read in its one pass over the body.</summary>
public sealed class AdmissionReviewerTests
{
    private static readonly ServiceAccountIdentity DefaultAccount = new(
        "apps", "default", new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" }, new Dictionary<string, string>());

    [Theory]
    [InlineData("""{"uid":"u"}""", null)]
    [InlineData("""{"uid":"u","object":null}""", null)]
    [InlineData("""{"uid":"u","object":"pod"}""", JsonValueKind.String)]
    [InlineData("""{"uid":"u","object":{"kind":"Pod","metadata":{"name":"web"}}}""", JsonValueKind.Object)]
    public void Decode_RequestObject_IsReadAsAPodView(string request, JsonValueKind? expected)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{{request}}}""");

        var decoded = AdmissionDecoder.Decode<PodView>(body, "application/json");

        var pod = decoded.Review!.Request!.Object;
        Assert.Equal(expected, pod?.Shape);
        if (expected == JsonValueKind.Object)
        {
            Assert.Equal("Pod", pod!.Kind);
            Assert.Equal("web", pod.DisplayName);
        }
    }

    [Fact]
    public async Task ReviewAsync_FieldsOfWrongTypes_ReadAsAbsent()
    {
        var pod = new JsonObject
        {
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = 5, ["generateName"] = "web-", ["namespace"] = "apps" },
            ["spec"] = new JsonObject { ["serviceAccountName"] = 7, ["containers"] = new JsonArray(new JsonObject { ["name"] = "app" }) },
        };

        var decision = await ReviewAsync(pod, @namespace: "");

        Assert.Equal(MutationOutcome.Mutated, decision.Outcome);
        Assert.Equal("web- (prefix)", decision.Pod);
        Assert.Equal("apps", decision.Namespace);
        Assert.Equal("default", decision.ServiceAccount);
        Assert.Equal(OptInRule.MissingPodLabelWarning, decision.Response.Warnings![0]);
    }

    [Fact]
    public async Task ReviewAsync_OptedInWithoutClientId_WarnsAndRecordsTheReason()
    {
        var pod = new JsonObject
        {
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "web", ["labels"] = new JsonObject { ["azure.workload.identity/use"] = "true" } },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app" }) },
        };

        var decision = await ReviewAsync(pod);

        Assert.Equal(MutationOutcome.Mutated, decision.Outcome);
        Assert.Equal(WarningReasons.MissingClientId, Assert.Single(decision.Warnings!).Reason);
        Assert.Contains(decision.Warnings![0].Message, decision.Response.Warnings!);
        Assert.Contains("no annotation azure.workload.identity/client-id", decision.Response.AuditAnnotations!.Values.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewAsync_NoRequestKind_ReadsTheKindOfThePod()
    {
        var pod = new JsonObject { ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = "s" } };

        var decision = await ReviewAsync(pod, requestKind: false);

        Assert.Equal(MutationOutcome.Denied, decision.Outcome);
        Assert.Equal(DenialReasons.NotAPod.Name, decision.Reason);
        Assert.Contains("the request is for Secret", decision.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Equal("s", decision.Pod);
    }

    [Fact]
    public async Task ReviewAsync_PodOfArrayType_DeniedAsMissingObject()
    {
        var decision = await ReviewAsync(new JsonArray(1, 2));

        Assert.Equal(MutationOutcome.Denied, decision.Outcome);
        Assert.Equal(DenialReasons.BadRequest.Name, decision.Reason);
        Assert.Contains("request.object is missing or not a JSON object", decision.Response.Status!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReviewAsync_AccountHeldInMemory_NeverMakesTheDeadlineToken(bool cached)
    {
        var lookup = new CountingLookup(cached);
        var reviewer = new AdmissionReviewer(new PodMutator(TestMutationOptions.Default), lookup);
        var pod = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web", ["labels"] = new JsonObject { ["azure.workload.identity/use"] = "true" } } };
        pod["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app" }) };
        var review = AdmissionReviews.Create(pod);
        var decoded = AdmissionDecoder.Decode<PodView>(Encoding.UTF8.GetBytes(review.ToJsonString()), "application/json");
        using var deadline = AdmissionDeadline.Start(new AdmissionBudget(3), TimeProvider.System, TimeProvider.System.GetTimestamp(), new Microsoft.AspNetCore.Http.DefaultHttpContext());

        var decision = await reviewer.ReviewAsync(decoded.Review!.Request!, deadline);

        Assert.Equal(MutationOutcome.Mutated, decision.Outcome);
        Assert.Equal(cached ? 0 : 1, lookup.Reads);
        Assert.Equal(!cached, deadline.IsArmed);
    }

    /// <summary>Holds <see cref="DefaultAccount"/> in memory, or only answers it through a read that takes the deadline's token.</summary>
    private sealed class CountingLookup(bool cached) : IServiceAccountLookup
    {
        public int Reads { get; private set; }

        public bool IsSynced => true;

        public bool TryGetCached(string @namespace, string name, out ServiceAccountIdentity? identity)
        {
            identity = cached ? DefaultAccount : null;
            return cached;
        }

        public ValueTask<ServiceAccountIdentity?> FindAsync(string @namespace, string name, CancellationToken cancellationToken)
        {
            Assert.True(cancellationToken.CanBeCanceled);
            Reads++;
            return ValueTask.FromResult<ServiceAccountIdentity?>(DefaultAccount);
        }
    }

    private static async Task<AdmissionDecision> ReviewAsync(JsonNode pod, string @namespace = "apps", bool requestKind = true)
    {
        var lookup = new InMemoryServiceAccountLookup();
        lookup.Add(DefaultAccount);
        var reviewer = new AdmissionReviewer(new PodMutator(TestMutationOptions.Default), lookup);
        var review = new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject { ["uid"] = "u", ["namespace"] = @namespace, ["operation"] = "CREATE", ["object"] = pod },
        };
        if (requestKind)
        {
            review["request"]!["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" };
        }

        var decoded = AdmissionDecoder.Decode<PodView>(Encoding.UTF8.GetBytes(review.ToJsonString()), "application/json");
        return await reviewer.ReviewAsync(decoded.Review!.Request!, AdmissionDeadline.None);
    }
}
