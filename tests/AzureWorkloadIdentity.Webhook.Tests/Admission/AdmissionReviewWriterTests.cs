using System.Buffers;
using System.Text;
using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Admission;
using Microsoft.AspNetCore.Http;

namespace AzureWorkloadIdentity.Webhook.Tests.Admission;

/// <summary>The hand-written response writer produces exactly the serializer's bytes (the contract it replaced).</summary>
public sealed class AdmissionReviewWriterTests
{
    private const string Warning = "pod is missing the label azure.workload.identity/use: \"true\" <deprecated> – é";

    private static readonly Dictionary<string, Func<AdmissionResponse>> Responses = new()
    {
        ["allowed"] = () => new AdmissionResponse { Uid = "u-1", Allowed = true },
        ["skipped"] = () => new AdmissionResponse
        {
            Uid = "u-2",
            Allowed = true,
            Status = new AdmissionStatus { Status = "Success", Code = 200, Message = "pod not labeled or service account not annotated, skipping mutation" },
        },
        ["denied"] = () => new AdmissionResponse
        {
            Uid = "u-3",
            Allowed = false,
            Status = new AdmissionStatus { Status = "Failure", Code = 400, Message = "service account \"a/b\" not found\n<&'> \u00e9\u4e2d\ud83d\ude00 \u0001" },
        },
        ["denied-without-message"] = () => new AdmissionResponse { Uid = "u-4", Allowed = false, Status = new AdmissionStatus { Code = 500 } },
        ["denied-with-warning"] = () => new AdmissionResponse
        {
            Uid = "u-5",
            Allowed = false,
            Status = new AdmissionStatus { Status = "Failure", Code = 400, Message = "bad" },
            Warnings = [Warning],
            AuditAnnotations = new Dictionary<string, string> { ["mutation.azure-workload-identity.io/warning"] = Warning },
        },
        ["mutated"] = () => new AdmissionResponse
        {
            Uid = "u-6",
            Allowed = true,
            PatchType = "JSONPatch",
            Patch = Encoding.UTF8.GetBytes("""[{"op":"add","path":"/spec/containers/0/env/-","value":{"name":"AZURE_CLIENT_ID","value":"x"}}]"""),
        },
        ["mutated-with-warnings"] = () => new AdmissionResponse
        {
            Uid = "u-7",
            Allowed = true,
            PatchType = "JSONPatch",
            Patch = [0, 1, 2, 250, 251, 252, 253, 254, 255],
            Warnings = [Warning, "second"],
            AuditAnnotations = new Dictionary<string, string> { ["mutation.azure-workload-identity.io/warning"] = Warning + ";second" },
        },
        ["empty-collections"] = () => new AdmissionResponse { Uid = "", Allowed = true, Patch = [], Warnings = [], AuditAnnotations = new Dictionary<string, string>() },
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Responses.Keys)
        {
            data.Add(name, AdmissionApiVersions.V1);
            data.Add(name, AdmissionApiVersions.V1Beta1);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Write_Response_SameBytesAsSerializer(string name, string apiVersion)
    {
        var review = new AdmissionReviewResponse { ApiVersion = apiVersion, Response = Responses[name]() };

        Assert.Equal(Serialized(review), Written(review));
    }

    [Fact(Timeout = 30_000)]
    public async Task ExecuteAsync_Review_Writes200JsonWithTheSerializersBytes()
    {
        var review = new AdmissionReviewResponse { ApiVersion = AdmissionApiVersions.V1, Response = Responses["mutated-with-warnings"]() };
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await new AdmissionReviewResult(review).ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal(Serialized(review), Encoding.UTF8.GetString(body.ToArray()));
    }

    private static string Serialized(AdmissionReviewResponse review) =>
        Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(review, AdmissionJsonContext.Default.AdmissionReviewResponse));

    private static string Written(AdmissionReviewResponse review)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            AdmissionReviewWriter.Write(writer, review);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
