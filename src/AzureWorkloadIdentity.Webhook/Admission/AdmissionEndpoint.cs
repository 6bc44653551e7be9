using System.Buffers;
using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Diagnostics;
using AzureWorkloadIdentity.Webhook.Mutation;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// What every admission endpoint shares: read the body within the admission budget, decode it, hand the decoded
/// review to the endpoint's reviewer, write the answer. HTTP 200 whenever a review can be formed; a body that is no
/// review is a 400. It is a plain <see cref="RequestDelegate"/> whose services are resolved once: an admission touches
/// no request-scoped container and no result object (docs/performance.md).
/// </summary>
internal sealed class AdmissionEndpoint<TObject>(
    Func<IAdmissionReviewer<TObject>> resolveReviewer, AdmissionBudget budget, TimeProvider time, WebhookMetrics metrics, ILogger logger)
    where TObject : class, IAdmissionObject<TObject>
{
    private const string JsonContentType = "application/json; charset=utf-8";

    // Resolved at the first admission, not when the endpoint is mapped: the pod reviewer's mutator depends on the
    // proxy sidecar placement, decided by a hosted service at start-up.
    private IAdmissionReviewer<TObject>? _reviewer;

    // One writer per thread, reset onto each answer's pipe: the answer is written synchronously.
    [ThreadStatic]
    private static Utf8JsonWriter? _threadJson;

    private IAdmissionReviewer<TObject> Reviewer => _reviewer ??= resolveReviewer();

    /// <summary>Serves one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // One clock for the admission: its deadline and the duration its metric records.
        var started = time.GetTimestamp();
        using var deadline = AdmissionDeadline.Start(budget, time, started, context);
        try
        {
            await ReadAndAnswerAsync(context, started, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.HasExpired && !context.RequestAborted.IsCancellationRequested)
        {
            await WriteBadRequestAsync(context,
                $"the AdmissionReview did not arrive within the admission budget of {budget.Describe()}", StatusCodes.Status408RequestTimeout).ConfigureAwait(false);
        }
    }

    private async Task ReadAndAnswerAsync(HttpContext context, long started, AdmissionDeadline deadline)
    {
        var request = context.Request;
        if (request.ContentLength > AdmissionEndpoint.MaxBodyBytes)
        {
            await WriteBadRequestAsync(context, AdmissionEndpoint.TooLarge).ConfigureAwait(false);
            return;
        }

        // Usually the whole review came with the headers: the first read completes at once, and the deadline is
        // never made into a token.
        var reader = request.BodyReader;
        if (!reader.TryRead(out var read))
        {
            read = await reader.ReadAsync(deadline.Token).ConfigureAwait(false);
        }

        while (!read.IsCompleted && read.Buffer.Length <= AdmissionEndpoint.MaxBodyBytes)
        {
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await reader.ReadAsync(deadline.Token).ConfigureAwait(false);
        }

        if (read.Buffer.Length > AdmissionEndpoint.MaxBodyBytes)
        {
            reader.AdvanceTo(read.Buffer.End);
            await WriteBadRequestAsync(context, AdmissionEndpoint.TooLarge).ConfigureAwait(false);
            return;
        }

        AdmissionDecoder.Decoded<TObject> decoded;
        try
        {
            decoded = Decode(read.Buffer, request.ContentType);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }

        await AnswerAsync(context, decoded, started, deadline).ConfigureAwait(false);
    }

    // Kestrel hands the body over in 4 KiB segments; the JSON reader is several times faster on one span. The decoded
    // review holds strings and views only, so the body may be released as soon as this returns.
    private static AdmissionDecoder.Decoded<TObject> Decode(ReadOnlySequence<byte> body, string? contentType)
    {
        if (body.IsSingleSegment)
        {
            return AdmissionDecoder.Decode<TObject>(body.FirstSpan, contentType);
        }

        var rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
        try
        {
            body.CopyTo(rented);
            return AdmissionDecoder.Decode<TObject>(rented.AsSpan(0, (int)body.Length), contentType);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private async Task AnswerAsync(HttpContext context, AdmissionDecoder.Decoded<TObject> decoded, long started, AdmissionDeadline deadline)
    {
        var apiVersion = AdmissionApiVersions.IsSupported(decoded.ApiVersion) ? decoded.ApiVersion! : AdmissionApiVersions.V1;
        AdmissionDecision decision;
        if (decoded.Error is not null)
        {
            if (decoded.Uid is null)
            {
                await WriteBadRequestAsync(context, decoded.Error).ConfigureAwait(false);
                return;
            }

            decision = AdmissionReviewer.Deny(decoded.Uid, new Denial(DenialReasons.BadRequest, decoded.Error), "", "", "");
        }
        else
        {
            decision = await Reviewer.ReviewAsync(decoded.Review!.Request!, deadline).ConfigureAwait(false);
        }

        metrics.Record(decision.Outcome, decision.Reason, decision.OptedIn, decision.Namespace, time.GetElapsedTime(started));
        foreach (var warning in decision.Warnings ?? [])
        {
            metrics.RecordWarning(warning.Reason);
        }

        Reviewer.Log(logger, decision);

        WriteAnswer(context.Response, decision.Response, apiVersion);
        // Not the request's abort token: reading it costs a lock, and Kestrel drops a write to a request already aborted.
        await context.Response.BodyWriter.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the answer straight into the response's pipe, synchronously, with the thread's writer
    /// (<c>WriteAsJsonAsync</c> ran the serializer's asynchronous machinery, and the serializer needed the patch as a
    /// copy of the document to write its base64). The caller flushes at once: an answer left for Kestrel to send when
    /// the request ends reached the client up to 0.9 s late after a wait for the API server, with several admissions in
    /// flight on one HTTP/2 connection (AdmissionDeadlineTests).
    /// </summary>
    private static void WriteAnswer(HttpResponse response, AdmissionResponse answer, string apiVersion)
    {
        response.ContentType = JsonContentType;
        var body = response.BodyWriter;
        var json = _threadJson;
        if (json is null)
        {
            _threadJson = json = new Utf8JsonWriter(body);
        }
        else
        {
            json.Reset(body);
        }

        try
        {
            answer.WriteReview(json, apiVersion);
            json.Flush();
        }
        finally
        {
            // The writer outlives the request on its thread; it must not hold the request's pipe.
            json.Reset(Stream.Null);
        }
    }

    /// <summary>A plain-text error for a body that is no review (counted as a denied bad request).</summary>
    private Task WriteBadRequestAsync(HttpContext context, string message, int status = StatusCodes.Status400BadRequest)
    {
        metrics.Record(MutationOutcome.Denied, DenialReasons.BadRequest.Name, false, "", TimeSpan.Zero);
        AdmissionLog.BadRequest(logger, message);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}

/// <summary>What every admission endpoint shares: the body limit and the endpoint's construction.</summary>
internal static class AdmissionEndpoint
{
    /// <summary>Largest request body accepted (3 MiB, the API server's own request limit).</summary>
    public const long MaxBodyBytes = 3 * 1024 * 1024;

    public static string TooLarge => $"request body exceeds {MaxBodyBytes / (1024 * 1024)} MiB; an AdmissionReview for a pod or workload is far smaller";

    /// <summary>The endpoint of the reviewer <typeparamref name="TReviewer"/>, its services taken from <paramref name="services"/> once.</summary>
    public static RequestDelegate Create<TObject, TReviewer>(IServiceProvider services)
        where TObject : class, IAdmissionObject<TObject>
        where TReviewer : class, IAdmissionReviewer<TObject>
    {
        ArgumentNullException.ThrowIfNull(services);
        var endpoint = new AdmissionEndpoint<TObject>(
            () => services.GetRequiredService<TReviewer>(), services.GetRequiredService<AdmissionBudget>(), services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<WebhookMetrics>(), services.GetRequiredService<ILogger<TReviewer>>());
        return endpoint.HandleAsync;
    }
}
