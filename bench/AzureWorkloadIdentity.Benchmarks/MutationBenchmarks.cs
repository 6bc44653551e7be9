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

    private readonly byte[] _pod = TypicalPod.PodUtf8;
    private readonly string _podText = TypicalPod.Json;
    private readonly ReadOnlyMemory<byte> _review = TypicalPod.ReviewUtf8();
    private readonly PodMutator _mutator = new(new MutationOptions("tenant", "https://login.microsoftonline.com/"));
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);
    private AdmissionReviewer _reviewer = null!;

    [GlobalSetup]
    public void Setup() => _reviewer = new AdmissionReviewer(_mutator, new StaticServiceAccountLookup(Account));

    [Benchmark(Baseline = true, Description = "parse + re-serialise pod (JsonNode)")]
    public int ParseAndSerializeJsonNode()
    {
        _output.ResetWrittenCount();
        var node = JsonNode.Parse(_pod)!;
        ForceMaterialise(node);
        using var writer = new Utf8JsonWriter(_output);
        node.WriteTo(writer);
        writer.Flush();
        return _output.WrittenCount;
    }

    // The full KubernetesClient: KubernetesClient.Aot (the webhook's) cannot write managedFields back (their fieldsV1 is
    // an untyped object its source-generated context has no metadata for).
    [Benchmark(Description = "parse + re-serialise pod (typed V1Pod)")]
    public int ParseAndSerializeTypedPod()
    {
        var typed = KubernetesJson.Deserialize<V1Pod>(_podText);
        return KubernetesJson.Serialize(typed).Length;
    }

    [Benchmark(Description = "mutation: read pod + mutate + patch bytes")]
    public int Mutate()
    {
        var result = _mutator.Mutate(PodView.Parse(_pod), Account);
        return new PatchDocument(result.Operations).ToArray().Length;
    }

    [Benchmark(Description = "whole admission: decode + look-up + mutate + encode")]
    public async Task<int> WholeAdmission()
    {
        var decoded = AdmissionDecoder.Decode<PodView>(_review.Span, "application/json");
        var decision = await _reviewer.ReviewAsync(decoded.Review!.Request!, AdmissionDeadline.None);
        _output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_output);
        decision.Response.WriteReview(writer, decoded.ApiVersion!);
        writer.Flush();
        return _output.WrittenCount;
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
