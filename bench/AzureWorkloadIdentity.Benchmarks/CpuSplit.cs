using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Benchmarks;

/// <summary>
/// <c>cpu-split [rounds] [iterations]</c>: the admission's steps on the typical 5 KB review, alternating in one process
/// round by round, timed in process CPU time (not wall time: on a shared machine preemption inflates wall time but
/// not CPU time) with the bytes allocated per operation. Steps: a <see cref="JsonDocument"/> parse of the review (what
/// the decoder did before 2026-12-04), the forward pass alone (decode into views), and the whole admission (decode,
/// cached look-up, rules, patch, response bytes).
/// </summary>
public static class CpuSplit
{
    private static readonly ServiceAccountIdentity Account = new(
        "ns-0", "sa-0", new Dictionary<string, string>(),
        new Dictionary<string, string> { ["azure.workload.identity/client-id"] = "00000000-1111-2222-3333-444444444444" });

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        var review = TypicalPod.ReviewUtf8("ns-0", "sa-0");
        var reviewer = new AdmissionReviewer(new PodMutator(new MutationOptions("tenant", "https://login.microsoftonline.com/")), new StaticServiceAccountLookup(Account));
        var output = new ArrayBufferWriter<byte>(16 * 1024);

        int JsonDocumentParse()
        {
            using var document = JsonDocument.Parse(review);
            return document.RootElement.ValueKind == JsonValueKind.Object ? 1 : 0;
        }

        int ForwardPass() => AdmissionDecoder.Decode<PodView>(review, "application/json").Review is null ? 0 : 1;

        async ValueTask<int> WholeAdmission()
        {
            var decoded = AdmissionDecoder.Decode<PodView>(review, "application/json");
            var decision = await reviewer.ReviewAsync(decoded.Review!.Request!, AdmissionDeadline.None);
            output.ResetWrittenCount();
            using var writer = new Utf8JsonWriter(output);
            decision.Response.WriteReview(writer, decoded.ApiVersion!);
            writer.Flush();
            return output.WrittenCount;
        }

        Console.WriteLine($"rounds {rounds} × {iterations} operations per step; review {review.Length} bytes; {Environment.ProcessorCount} cores");
        for (var round = 0; round <= rounds; round++)
        {
            // Round 0 warms the JIT up and is not printed.
            var parse = await Measure(iterations, () => { JsonDocumentParse(); return ValueTask.CompletedTask; });
            var pass = await Measure(iterations, () => { ForwardPass(); return ValueTask.CompletedTask; });
            var whole = await Measure(iterations, async () => await WholeAdmission());
            if (round > 0)
            {
                Console.WriteLine($"round {round}: JsonDocument.Parse {parse}   forward pass {pass}   whole admission {whole}");
            }
        }

        return 0;
    }

    private static async Task<string> Measure(int iterations, Func<ValueTask> operation)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated0 = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++)
        {
            await operation();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocated0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        return string.Create(CultureInfo.InvariantCulture, $"{cpu.TotalMicroseconds / iterations:0.00} µs CPU, {allocated / iterations:0} B");
    }
}
