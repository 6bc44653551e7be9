extern alias SandboxClient;

using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using BenchmarkDotNet.Attributes;
using SandboxClient::k8s;
using SandboxClient::k8s.Models;

namespace AzureWorkloadIdentity.Benchmarks;

/// <summary>
/// The whole admission and the mutation, next to the cost of parsing and re-serialising the same pod with
/// System.Text.Json (the work any webhook that decodes the pod must do at least once).
/// </summary>
[MemoryDiagnoser]
public class MutationBenchmarks
{
    private static readonly ServiceAccountIdentity Account = new(
        "shop",
        "orders",
        new Dictionary<string, string>(),
        new Dictionary<string, string> { ["azure.workload.identity/client-id"] = "00000000-1111-2222-3333-444444444444" });

    private readonly byte[] pod = TypicalPod.PodUtf8;
    private readonly string podText = TypicalPod.Json;
    private readonly ReadOnlyMemory<byte> review = TypicalPod.ReviewUtf8();
    private readonly PodMutator mutator = new(new MutationOptions("tenant", "https://login.microsoftonline.com/"));
    private readonly ArrayBufferWriter<byte> output = new(16 * 1024);
    private AdmissionReviewer reviewer = null!;

    [GlobalSetup]
    public void Setup() => reviewer = new AdmissionReviewer(mutator, new StaticServiceAccountLookup(Account));

    [Benchmark(Baseline = true, Description = "parse + re-serialise pod (JsonNode)")]
    public int ParseAndSerializeJsonNode()
    {
        output.ResetWrittenCount();
        var node = JsonNode.Parse(pod)!;
        ForceMaterialise(node);
        using var writer = new Utf8JsonWriter(output);
        node.WriteTo(writer);
        writer.Flush();
        return output.WrittenCount;
    }

    // The full KubernetesClient: KubernetesClient.Aot (the webhook's) cannot write managedFields back (their fieldsV1 is
    // an untyped object its source-generated context has no metadata for).
    [Benchmark(Description = "parse + re-serialise pod (typed V1Pod)")]
    public int ParseAndSerializeTypedPod()
    {
        var typed = KubernetesJson.Deserialize<V1Pod>(podText);
        return KubernetesJson.Serialize(typed).Length;
    }

    [Benchmark(Description = "mutation: read pod + mutate + patch bytes")]
    public int Mutate()
    {
        var result = mutator.Mutate(PodView.Parse(pod), Account);
        return PatchBuilder.ToUtf8(result.Operations).Length;
    }

    [Benchmark(Description = "whole admission: decode + look-up + mutate + encode")]
    public async Task<int> WholeAdmission()
    {
        var decoded = AdmissionDecoder.Decode<PodView>(review.Span, "application/json");
        var decision = await reviewer.ReviewAsync(decoded.Review!.Request!, CancellationToken.None);
        output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(output);
        JsonSerializer.Serialize(writer, new AdmissionReviewResponse { ApiVersion = decoded.ApiVersion!, Response = decision.Response }, AdmissionJsonContext.Default.AdmissionReviewResponse);
        return output.WrittenCount;
    }

    // JsonNode.Parse is lazy; touching every node makes the baseline a full parse, as re-serialising a decoded pod would be.
    private static void ForceMaterialise(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var member in o)
                {
                    ForceMaterialise(member.Value);
                }

                break;
            case JsonArray a:
                foreach (var element in a)
                {
                    ForceMaterialise(element);
                }

                break;
            default:
                break;
        }
    }
}
