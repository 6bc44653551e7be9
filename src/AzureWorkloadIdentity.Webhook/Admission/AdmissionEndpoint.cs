using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using AzureWorkloadIdentity.Webhook.Diagnostics;
using AzureWorkloadIdentity.Webhook.Mutation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// What every admission endpoint shares: read the body within the admission budget, decode it, hand the decoded
/// review to the endpoint's answer. HTTP 200 whenever a review can be formed; a body that is no review is a 400.
/// </summary>
public static class AdmissionEndpoint
{
    /// <summary>Largest request body accepted (3 MiB, the API server's own request limit).</summary>
    public const long MaxBodyBytes = 3 * 1024 * 1024;

    /// <summary>Reading and answering share one deadline, <paramref name="budget"/>, so the answer comes before the API server gives up.</summary>
    public static async Task<Results<JsonHttpResult<AdmissionReviewResponse>, ContentHttpResult>> ServeAsync<TObject>(
        HttpRequest request, IAdmissionReviewer<TObject> reviewer, AdmissionBudget budget, TimeProvider time, WebhookMetrics metrics, ILogger logger,
        CancellationToken cancellationToken)
        where TObject : class, IAdmissionObject<TObject>
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        ArgumentNullException.ThrowIfNull(budget);
        using var deadline = new CancellationTokenSource(budget.Total, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await ReadAndAnswerAsync(request, reviewer, metrics, logger, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return BadRequest(metrics, logger, $"the AdmissionReview did not arrive within the admission budget of {budget.Describe()}",
                StatusCodes.Status408RequestTimeout);
        }
    }

    /// <summary>A plain-text error for a body that is no review (counted as a denied bad request).</summary>
    public static ContentHttpResult BadRequest(WebhookMetrics metrics, ILogger logger, string message, int status = StatusCodes.Status400BadRequest)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.Record(MutationOutcome.Denied, DenialReasons.BadRequest.Name, false, "", TimeSpan.Zero);
        AdmissionLog.BadRequest(logger, message);
        return TypedResults.Text(message + "\n", "text/plain; charset=utf-8", null, status);
    }

    private static async Task<Results<JsonHttpResult<AdmissionReviewResponse>, ContentHttpResult>> ReadAndAnswerAsync<TObject>(
        HttpRequest request, IAdmissionReviewer<TObject> reviewer, WebhookMetrics metrics, ILogger logger, CancellationToken cancellationToken)
        where TObject : class, IAdmissionObject<TObject>
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        var started = Stopwatch.GetTimestamp();

        if (request.ContentLength > MaxBodyBytes)
        {
            return BadRequest(metrics, logger, TooLarge);
        }

        var reader = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.Buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(read.Buffer.End);
                return BadRequest(metrics, logger, TooLarge);
            }

            if (read.IsCompleted)
            {
                break;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        // Kestrel hands the body over in 4 KiB segments; the JSON reader is several times faster on one span. The
        // decoded review holds strings and views only, so the body is released as soon as it is decoded.
        var body = read.Buffer;
        byte[]? rented = null;
        AdmissionDecoder.Decoded<TObject> decoded;
        try
        {
            if (body.IsSingleSegment)
            {
                decoded = AdmissionDecoder.Decode<TObject>(body.FirstSpan, request.ContentType);
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
                body.CopyTo(rented);
                decoded = AdmissionDecoder.Decode<TObject>(rented.AsSpan(0, (int)body.Length), request.ContentType);
            }
        }
        finally
        {
            reader.AdvanceTo(body.End);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return await AnswerAsync(decoded, reviewer, metrics, logger, started, cancellationToken).ConfigureAwait(false);
    }

    // A ValueTask: the service-account look-up is a cache hit almost always, so the answer is usually ready without a
    // Task allocated for it.
    private static async ValueTask<Results<JsonHttpResult<AdmissionReviewResponse>, ContentHttpResult>> AnswerAsync<TObject>(
        AdmissionDecoder.Decoded<TObject> decoded, IAdmissionReviewer<TObject> reviewer, WebhookMetrics metrics, ILogger logger, long started,
        CancellationToken cancellationToken)
        where TObject : class
    {
        var apiVersion = AdmissionApiVersions.IsSupported(decoded.ApiVersion) ? decoded.ApiVersion! : AdmissionApiVersions.V1;
        AdmissionDecision decision;
        if (decoded.Error is not null)
        {
            if (decoded.Uid is null)
            {
                return BadRequest(metrics, logger, decoded.Error);
            }

            decision = AdmissionReviewer.Deny(decoded.Uid, new Denial(DenialReasons.BadRequest, decoded.Error), "", "", "");
        }
        else
        {
            decision = await reviewer.ReviewAsync(decoded.Review!.Request!, cancellationToken).ConfigureAwait(false);
        }

        metrics.Record(decision.Outcome, decision.Reason, decision.OptedIn, decision.Namespace, Stopwatch.GetElapsedTime(started));
        foreach (var warning in decision.Warnings ?? [])
        {
            metrics.RecordWarning(warning.Reason);
        }

        reviewer.Log(logger, decision);
        return TypedResults.Json(
            new AdmissionReviewResponse { ApiVersion = apiVersion, Response = decision.Response },
            AdmissionJsonContext.Default.AdmissionReviewResponse);
    }

    private static string TooLarge => $"request body exceeds {MaxBodyBytes / (1024 * 1024)} MiB; an AdmissionReview for a pod or workload is far smaller";
}
