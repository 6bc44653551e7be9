using System.Net;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using AzureWorkloadIdentity.Webhook.Tests.Hosting;

namespace AzureWorkloadIdentity.Webhook.Tests.Admission;

/// <summary>Rule 10 and the look-up failures: never a crash or a 500, a review when the uid is known.</summary>
public sealed class MutateEndpointBadInputTests(WebhookHostFixture fixture) : IClassFixture<WebhookHostFixture>
{
    private static JsonObject LabelledPod() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["generateName"] = "web-", ["labels"] = new JsonObject { ["azure.workload.identity/use"] = "true" } },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app:1" }) },
    };

    public static TheoryData<string, string, string> PlainBadRequests() => new()
    {
        { "", "application/json", "empty" },
        { "this is not json", "application/json", "not a valid AdmissionReview" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", "application/json", "no request" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}}", "application/json", "no uid" },
        { "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"\"}}", "application/json", "no uid" },
        { "[1,2,3]", "application/json", "not a valid AdmissionReview" },
        { "null", "application/json", "null" },
        { "not json", "text/plain", "contentType=text/plain" },
        { "{\"request\":{\"uid\":5}}", "application/json", "not a valid AdmissionReview" },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(PlainBadRequests))]
    public async Task Post_BadBodyWithoutUid_Returns400Text(string body, string contentType, string expected)
    {
        var (response, review) = await AdmissionReviews.PostAsync(fixture.Host.Client, body, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(review);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_WrongContentTypeWithUid_DeniesInReview()
    {
        var body = AdmissionReviews.Create(LabelledPod(), uid: "ct-1").ToJsonString();

        var (response, review) = await AdmissionReviews.PostAsync(fixture.Host.Client, body, "text/plain");

        AssertDenied(response, review, "ct-1", "contentType=text/plain");
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_OversizedBody_Returns400Text()
    {
        var pod = LabelledPod();
        pod["metadata"]!["annotations"] = new JsonObject { ["big"] = new string('x', 3 * 1024 * 1024) };
        var (response, review) = await AdmissionReviews.PostAsync(fixture.Host.Client, AdmissionReviews.Create(pod).ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(review);
        Assert.Contains("3 MiB", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_MissingObject_DeniesInReview()
    {
        var review = AdmissionReviews.Create(LabelledPod(), uid: "no-object");
        ((JsonObject)review["request"]!).Remove("object");

        var (response, answer) = await AdmissionReviews.PostAsync(fixture.Host.Client, review.ToJsonString());

        AssertDenied(response, answer, "no-object", "request.object is missing");
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_ObjectNotAnObject_DeniesInReview()
    {
        var review = AdmissionReviews.Create(LabelledPod(), uid: "string-object");
        review["request"]!["object"] = "pod";

        var (response, answer) = await AdmissionReviews.PostAsync(fixture.Host.Client, review.ToJsonString());

        AssertDenied(response, answer, "string-object", "request.object is missing or not a JSON object");
    }

    [Theory(Timeout = 30_000)]
    [InlineData("name", "request.name is a JSON Number, expected a string")]
    [InlineData("kind", "request.kind is a JSON Number, expected an object")]
    public async Task Post_FieldOfWrongTypeWithUid_DeniesInReviewNamingIt(string field, string expected)
    {
        var review = AdmissionReviews.Create(LabelledPod(), uid: "typed-" + field);
        review["request"]![field] = 5;

        var (response, answer) = await AdmissionReviews.PostAsync(fixture.Host.Client, review.ToJsonString());

        AssertDenied(response, answer, "typed-" + field, "not a valid AdmissionReview: " + expected);
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_NotAPod_DeniesInReview()
    {
        var review = AdmissionReviews.Create(LabelledPod(), uid: "deploy");
        review["request"]!["kind"] = new JsonObject { ["group"] = "apps", ["version"] = "v1", ["kind"] = "Deployment" };

        var (response, answer) = await AdmissionReviews.PostAsync(fixture.Host.Client, review.ToJsonString());

        AssertDenied(response, answer, "deploy", "only mutates pods");
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_UnsupportedApiVersionWithUid_DeniesInV1()
    {
        var review = AdmissionReviews.Create(LabelledPod(), apiVersion: "admission.k8s.io/v2", uid: "v2");

        var (response, answer) = await AdmissionReviews.PostAsync(fixture.Host.Client, review.ToJsonString());

        AssertDenied(response, answer, "v2", "unsupported review");
        Assert.Equal("admission.k8s.io/v1", (string?)answer!["apiVersion"]);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("UPDATE")]
    [InlineData("DELETE")]
    [InlineData("CONNECT")]
    public async Task Post_NotCreate_AllowedWithoutPatch(string operation)
    {
        var review = AdmissionReviews.Create(LabelledPod(), operation: operation, uid: "op-" + operation);
        ((JsonObject)review["request"]!).Remove("object");

        var (response, answer) = await AdmissionReviews.PostAsync(fixture.Host.Client, review.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool)answer!["response"]!["allowed"]!);
        Assert.Null(answer["response"]!["patch"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_ServiceAccountMissing_DeniesNamingIt()
    {
        var review = AdmissionReviews.Create(LabelledPod(), uid: "missing-sa", @namespace: "nowhere");

        var (response, answer) = await AdmissionReviews.PostAsync(fixture.Host.Client, review.ToJsonString());

        AssertDenied(response, answer, "missing-sa", "service account nowhere/default not found");
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_LookupFails_DeniesWithCause()
    {
        await using var host = await WebhookHost.StartAsync();
        host.Lookup.Failure = new ServiceAccountLookupException("the Kubernetes API did not answer within 3s");

        var (response, answer) = await AdmissionReviews.PostAsync(host.Client, AdmissionReviews.Create(LabelledPod(), uid: "api-down").ToJsonString());

        AssertDenied(response, answer, "api-down", "could not look up service account apps/default: the Kubernetes API did not answer within 3s", 500);
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_Http11_IsServedToo()
    {
        fixture.Host.Lookup.Add(new ServiceAccountIdentity("http11", "default", new Dictionary<string, string>(), new Dictionary<string, string>()));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mutate-v1-pod")
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(AdmissionReviews.Create(LabelledPod(), @namespace: "http11").ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await fixture.Host.Client.SendAsync(request);

        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("JSONPatch", (string?)answer["response"]!["patchType"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Post_OnHealthListener_NotFound()
    {
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");

        using var response = await fixture.Host.PlainClient.PostAsync(new Uri(fixture.Host.HealthUri, "/mutate-v1-pod"), content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static void AssertDenied(HttpResponseMessage response, JsonObject? review, string uid, string message, int code = 400)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(review);
        var result = review["response"]!;
        Assert.Equal(uid, (string?)result["uid"]);
        Assert.False((bool)result["allowed"]!);
        Assert.Equal(code, (int)result["status"]!["code"]!);
        Assert.Contains(message, (string)result["status"]!["message"]!, StringComparison.Ordinal);
        Assert.Null(result["patch"]);
    }
}
