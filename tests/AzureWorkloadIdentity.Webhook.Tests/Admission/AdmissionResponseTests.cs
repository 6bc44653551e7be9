using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Tests.Admission;

/// <summary>The answer as the API server reads it: an AdmissionReview whose response leaves out members without a value.</summary>
public sealed class AdmissionResponseTests
{
    [Fact]
    public void WriteReview_MutatedWithWarnings_EveryMemberInTheApiOrder()
    {
        var patch = new PatchDocument([new PatchOperation("/spec/volumes", Encoding.UTF8.GetBytes("""[{"name":"v"}]"""))]);
        var response = new AdmissionResponse
        {
            Uid = "705ab4f5-6393-11e8-b7cc-42010a800002",
            Allowed = true,
            PatchType = "JSONPatch",
            Patch = patch,
            Warnings = ["label \"x\" is <odd> & ünusual", "second"],
            AuditAnnotations = new Dictionary<string, string> { ["mutation.azure-workload-identity.io/warning"] = "a;b" },
        };

        var (text, review) = Write(response, "admission.k8s.io/v1beta1");

        Assert.Equal(["apiVersion", "kind", "response"], review.Select(member => member.Key));
        Assert.Equal("admission.k8s.io/v1beta1", (string?)review["apiVersion"]);
        Assert.Equal("AdmissionReview", (string?)review["kind"]);
        var answer = review["response"]!.AsObject();
        Assert.Equal(["uid", "allowed", "patchType", "patch", "warnings", "auditAnnotations"], answer.Select(member => member.Key));
        Assert.Equal(response.Uid, (string?)answer["uid"]);
        Assert.True((bool)answer["allowed"]!);
        Assert.Equal("JSONPatch", (string?)answer["patchType"]);
        Assert.Equal(patch.ToArray(), Convert.FromBase64String((string)answer["patch"]!));
        Assert.Equal(response.Warnings, answer["warnings"]!.AsArray().Select(w => (string)w!));
        Assert.Equal("a;b", (string?)answer["auditAnnotations"]!["mutation.azure-workload-identity.io/warning"]);
        // Escaped as the serializer escapes: no raw HTML-sensitive or non-ASCII characters on the wire.
        Assert.DoesNotContain("<odd>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ü", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteReview_AllowedWithoutPatch_OnlyUidAndAllowed()
    {
        var (_, review) = Write(new AdmissionResponse { Uid = "u-1", Allowed = true }, "admission.k8s.io/v1");

        var answer = review["response"]!.AsObject();
        Assert.Equal(["uid", "allowed"], answer.Select(member => member.Key));
    }

    [Fact]
    public void WriteReview_Denied_StatusWithCodeAndMessage()
    {
        var response = new AdmissionResponse
        {
            Uid = "u-2",
            Allowed = false,
            Status = new AdmissionStatus { Status = "Failure", Code = 400, Message = "service account apps/missing not found" },
        };

        var (_, review) = Write(response, "admission.k8s.io/v1");

        var answer = review["response"]!.AsObject();
        Assert.Equal(["uid", "allowed", "status"], answer.Select(member => member.Key));
        Assert.False((bool)answer["allowed"]!);
        var status = answer["status"]!.AsObject();
        Assert.Equal(["status", "code", "message"], status.Select(member => member.Key));
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal(400, (int)status["code"]!);
        Assert.Equal("service account apps/missing not found", (string?)status["message"]);
    }

    [Fact]
    public void WriteReview_StatusWithoutTexts_OnlyTheCode()
    {
        var (_, review) = Write(new AdmissionResponse { Uid = "u-3", Allowed = true, Status = new AdmissionStatus { Code = 200 } }, "admission.k8s.io/v1");

        Assert.Equal(["code"], review["response"]!["status"]!.AsObject().Select(member => member.Key));
    }

    private static (string Text, JsonObject Review) Write(AdmissionResponse response, string apiVersion)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(output))
        {
            response.WriteReview(json, apiVersion);
        }

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        return (text, JsonNode.Parse(text)!.AsObject());
    }
}
