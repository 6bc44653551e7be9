using System.Buffers;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Mutation;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Benchmarks;

/// <summary>
/// <c>alloc-types [decode|review|whole] [operations]</c>: the bytes one admission of the typical 5 KB review allocates,
/// and which types they are. The runtime's allocation-tick event (one sample per ~100 KB allocated, naming the type
/// that crossed it) is counted over many operations, so each type's share of the bytes is estimated from its samples.
/// <c>decode</c> reads the body into views; <c>review</c> reviews one decoded request and writes the answer;
/// <c>whole</c> is both.
/// </summary>
public static class AllocTypes
{
    private const long BytesPerTick = 100_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var step = args.Length > 0 ? args[0] : "whole";
        var operations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
        var account = new ServiceAccountIdentity("ns-0", "sa-0", new Dictionary<string, string>(),
            new Dictionary<string, string> { ["azure.workload.identity/client-id"] = "00000000-1111-2222-3333-444444444444" });
        var review = TypicalPod.ReviewUtf8("ns-0", "sa-0");
        var reviewer = new AdmissionReviewer(new PodMutator(new MutationOptions("tenant", "https://login.microsoftonline.com/")), new StaticServiceAccountLookup(account));
        var output = new ArrayBufferWriter<byte>(16 * 1024);
        // One writer reset onto each answer, as the webhook's endpoint does.
        using var json = new Utf8JsonWriter(output);
        var decodedOnce = AdmissionDecoder.Decode<PodView>(review, "application/json");

        async Task OnceAsync()
        {
            var decoded = step == "review" ? decodedOnce : AdmissionDecoder.Decode<PodView>(review, "application/json");
            if (step == "decode")
            {
                return;
            }

            var decision = await reviewer.ReviewAsync(decoded.Review!.Request!, AdmissionDeadline.None);
            output.ResetWrittenCount();
            json.Reset(output);
            decision.Response.WriteReview(json, decoded.ApiVersion!);
            json.Flush();
        }

        for (var i = 0; i < 5_000; i++)
        {
            await OnceAsync();
        }

        using var listener = new AllocationTicks();
        var allocated0 = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < operations; i++)
        {
            await OnceAsync();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocated0;
        listener.Stop();
        Console.WriteLine($"{step}: {allocated / operations} bytes per admission ({operations} admissions); by type, estimated from allocation ticks:");
        foreach (var (type, ticks) in listener.Ticks.OrderByDescending(pair => pair.Value).Take(25))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ticks * BytesPerTick / (double)operations,8:0.0} B  {type}"));
        }

        return 0;
    }

    private sealed class AllocationTicks : EventListener
    {
        private volatile bool _stopped;

        public Dictionary<string, long> Ticks { get; } = [];

        public void Stop() => _stopped = true;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                // The GC keyword at verbose level carries GCAllocationTick.
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (_stopped || eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true)
            {
                return;
            }

            var type = eventData.Payload![eventData.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
            lock (Ticks)
            {
                Ticks[type] = Ticks.GetValueOrDefault(type) + 1;
            }
        }
    }
}
