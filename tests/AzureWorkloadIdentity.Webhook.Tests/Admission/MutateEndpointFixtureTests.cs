using System.Net;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Tests.Hosting;
using AzureWorkloadIdentity.Webhook.Tests.Mutation;

namespace AzureWorkloadIdentity.Webhook.Tests.Admission;

/// <summary>Every mutation fixture over HTTPS: post a real AdmissionReview, apply the returned patch, compare.</summary>
public sealed class MutateEndpointFixtureTests(WebhookHostFixture fixture) : IClassFixture<WebhookHostFixture>
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        // Fixtures with their own settings need another webhook process; the host runs the defaults.
        foreach (var name in MutationFixture.Names().Where(n => MutationFixture.Load(n).Document["options"] is null))
        {
            data.Add(name, "admission.k8s.io/v1");
            data.Add(name, "admission.k8s.io/v1beta1");
        }

        return data;
    }

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Cases))]
    public async Task Post_Fixture_PatchProducesExpectedPod(string name, string apiVersion)
    {
        var host = fixture.Host;
        var cases = MutationFixture.Load(name);
        var uid = Guid.NewGuid().ToString();
        var ns = "fx-" + uid[..8];
        var account = cases.ServiceAccount();
        host.Lookup.Add(account with { Namespace = ns });
        var pod = cases.Pod;
        ((JsonObject)pod["metadata"]!).Remove("namespace");
        var review = AdmissionReviews.Create(pod, apiVersion, uid: uid, @namespace: ns);

        var (response, answer) = await AdmissionReviews.PostAsync(host.Client, review.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(apiVersion, (string?)answer!["apiVersion"]);
        Assert.Equal("AdmissionReview", (string?)answer["kind"]);
        var result = answer["response"]!;
        Assert.Equal(uid, (string?)result["uid"]);
        var expect = cases.Expect;
        var outcome = (string)expect["outcome"]!;
        Assert.Equal(outcome != "Denied", (bool)result["allowed"]!);
        // The mutator's warnings, then the admission's near misses (rule 10; {namespace} is the test's namespace).
        string[] warnings =
        [
            .. (expect["warnings"] as JsonArray)?.Select(w => (string)w!) ?? [],
            .. (expect["nearMisses"] as JsonArray)?.Select(w => ((string)w!).Replace("{namespace}", ns, StringComparison.Ordinal)) ?? [],
        ];
        Assert.Equal(warnings, (result["warnings"] as JsonArray)?.Select(w => (string)w!).ToArray() ?? []);
        if (warnings.Length > 0)
        {
            Assert.Equal(string.Join(";", warnings), (string?)result["auditAnnotations"]!["mutation.azure-workload-identity.io/warning"]);
        }

        switch (outcome)
        {
            case "Mutated":
                Assert.Equal("JSONPatch", (string?)result["patchType"]);
                var patch = Convert.FromBase64String((string)result["patch"]!);
                var patched = PodPatch.Apply(pod, patch);
                var expected = (JsonObject)expect["pod"]!.DeepClone();
                ((JsonObject)expected["metadata"]!).Remove("namespace");
                Assert.True(JsonNode.DeepEquals(expected, patched), $"expected\n{expected}\nactual\n{patched}");
                break;
            case "Denied":
                Assert.Equal(400, (int)result["status"]!["code"]!);
                foreach (var part in ((JsonArray)expect["messageContains"]!).Select(p => (string)p!))
                {
                    Assert.Contains(part.Replace("apps/sa", ns + "/sa", StringComparison.Ordinal), (string)result["status"]!["message"]!, StringComparison.Ordinal);
                }

                break;
            default:
                Assert.Null(result["patch"]);
                Assert.Null(result["patchType"]);
                break;
        }
    }
}
