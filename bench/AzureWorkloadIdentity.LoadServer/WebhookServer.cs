using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using AzureWorkloadIdentity.Core.Configuration;
using AzureWorkloadIdentity.Webhook.Configuration;
using AzureWorkloadIdentity.Webhook.Hosting;

namespace AzureWorkloadIdentity.LoadServer;

/// <summary>
/// <c>webhook-load-server &lt;webhook flags…&gt;</c>: the production composition (service-account cache included) plus
/// <c>POST /null</c> on the same Kestrel/TLS listener: it reads the body and answers a constant review, so a load
/// run can compare the webhook with the bare HTTP/2 + TLS stack in one process. Two more endpoints split the gap
/// between them: <c>POST /null-big</c> answers a constant review of the webhook's answer size (~2 KB with a base64
/// patch), and <c>POST /parse</c> also parses the body once into a <see cref="JsonDocument"/> as the webhook's decoder
/// does, so the difference to /null is the floor any JsonDocument-based admission pays. <c>POST /floor</c> is the floor
/// of any System.Text.Json admission that reads the whole review: one <see cref="Utf8JsonReader"/> pass over the body
/// that keeps nothing, and the constant answer of the webhook's size. <c>GET /gc</c> reports the process's allocation and
/// collection counters (<c>?collect</c> first runs a full blocking collection, <c>?collect=0</c> a gen0 one).
/// </summary>
public static class WebhookServer
{
    private static readonly byte[] ConstantReview = Encoding.UTF8.GetBytes(
        """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6","allowed":true}}""");

    // The typical admission's answer is ~2.1 KB, most of it the base64 patch.
    private static readonly byte[] BigReview = Encoding.UTF8.GetBytes(
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6\",\"allowed\":true,\"patchType\":\"JSONPatch\",\"patch\":\""
        + Convert.ToBase64String(new byte[1500]) + "\"}}");

    public static Task<int> Main(string[] args) =>
        StartupCommand.RunAsync(WebhookSettings.Table, args, () => RunAsync(args), Console.Out, Console.Error);

    private static async Task<int> RunAsync(string[] args)
    {
        await using var app = WebhookApplication.Build(args);
        app.MapPost("/null", Constant(ConstantReview)).WithMetadata(new ListenerMetadata(Listener.Webhook));
        app.MapPost("/null-big", Constant(BigReview)).WithMetadata(new ListenerMetadata(Listener.Webhook));
        app.MapPost("/parse", ParseAsync).WithMetadata(new ListenerMetadata(Listener.Webhook));
        app.MapPost("/floor", FloorAsync).WithMetadata(new ListenerMetadata(Listener.Webhook));
        app.MapGet("/gc", GcCounters).WithMetadata(new ListenerMetadata(Listener.Webhook));
        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// The process's allocation and collection counters, read by the load script before and after a run to report the
    /// bytes allocated and the collections per request of each path: one line, <c>allocated gen0 gen1 gen2 pause-ms</c>.
    /// </summary>
    private static string GcCounters(HttpContext context)
    {
        if (context.Request.Query.TryGetValue("collect", out var generation))
        {
            // ?collect: a full compacting collection; ?collect=0 (or 1): that generation only.
            var condemned = int.TryParse(generation, CultureInfo.InvariantCulture, out var number) ? Math.Clamp(number, 0, 2) : 2;
            GC.Collect(condemned, GCCollectionMode.Forced, blocking: true, compacting: condemned == 2);
        }

        return GcLine();
    }

    private static string GcLine() => string.Create(CultureInfo.InvariantCulture,
        $"{GC.GetTotalAllocatedBytes(precise: true)} {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)} {GC.GetTotalPauseDuration().TotalMilliseconds:0.0}");

    /// <summary>Reads the whole body and answers <paramref name="review"/>.</summary>
    private static RequestDelegate Constant(byte[] review) => async context =>
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        context.Response.ContentType = "application/json";
        await context.Response.BodyWriter.WriteAsync(review, context.RequestAborted);
    };

    // As the webhook does: one span (a rented copy when Kestrel split the body), read once.
    private static Task ParseAsync(HttpContext context) => ReadBodyThenAnswerAsync(context, static body =>
    {
        using (JsonDocument.Parse(body))
        {
        }
    }, ConstantReview);

    // Every token read once, nothing kept.
    private static Task FloorAsync(HttpContext context) => ReadBodyThenAnswerAsync(context, static body =>
    {
        var json = new Utf8JsonReader(body.Span);
        while (json.Read())
        {
        }
    }, BigReview);

    /// <summary>Reads the whole body, hands it to <paramref name="read"/> as one buffer, answers <paramref name="review"/>.</summary>
    private static async Task ReadBodyThenAnswerAsync(HttpContext context, Action<ReadOnlyMemory<byte>> read, byte[] review)
    {
        var reader = context.Request.BodyReader;
        ReadResult result;
        while (true)
        {
            result = await reader.ReadAsync(context.RequestAborted);
            if (result.IsCompleted)
            {
                break;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        var body = result.Buffer;
        var rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
        body.CopyTo(rented);
        read(rented.AsMemory(0, (int)body.Length));
        ArrayPool<byte>.Shared.Return(rented);
        reader.AdvanceTo(body.End);
        context.Response.ContentType = "application/json";
        await context.Response.BodyWriter.WriteAsync(review, context.RequestAborted);
    }
}
