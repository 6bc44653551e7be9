using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using AzureWorkloadIdentity.Webhook.Diagnostics;
using AzureWorkloadIdentity.Webhook.Mutation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// <c>POST /mutate-v1-pod</c>: read, decode, decide, answer. HTTP 200 whenever a review can be formed. Reading and
/// deciding share one deadline, <see cref="AdmissionBudget"/>, so the answer comes before the API server gives up.
/// </summary>
public static class MutateEndpoint
{
    public const string Path = "/mutate-v1-pod";

    /// <summary>Largest request body accepted (3 MiB, the API server's own request limit).</summary>
    public const long MaxBodyBytes = 3 * 1024 * 1024;

    public static async Task<Results<JsonHttpResult<AdmissionReviewResponse>, ContentHttpResult>> HandleAsync(
        HttpRequest request, AdmissionReviewer reviewer, AdmissionBudget budget, TimeProvider time, WebhookMetrics metrics,
        ILogger<AdmissionReviewer> logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        using var deadline = new CancellationTokenSource(budget.Total, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await HandleWithinAsync(request, reviewer, metrics, logger, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return BadRequest(metrics, logger, $"the AdmissionReview did not arrive within the admission budget of {budget.Describe()}",
                StatusCodes.Status408RequestTimeout);
        }
    }

    private static async Task<Results<JsonHttpResult<AdmissionReviewResponse>, ContentHttpResult>> HandleWithinAsync(
        HttpRequest request, AdmissionReviewer reviewer, WebhookMetrics metrics, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reviewer);
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
        // decoded pod reads these bytes in place, so they stay unadvanced (or rented) until the answer is formed.
        var body = read.Buffer;
        byte[]? rented = null;
        try
        {
            ReadOnlyMemory<byte> contiguous;
            if (body.IsSingleSegment)
            {
                contiguous = body.First;
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
                body.CopyTo(rented);
                contiguous = rented.AsMemory(0, (int)body.Length);
            }

            using var decoded = AdmissionDecoder.Decode(contiguous, request.ContentType);
            return await AnswerAsync(decoded, reviewer, metrics, logger, started, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            reader.AdvanceTo(body.End);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // A ValueTask: the service-account look-up is a cache hit almost always, so the answer is usually ready without a
    // Task allocated for it.
    private static async ValueTask<Results<JsonHttpResult<AdmissionReviewResponse>, ContentHttpResult>> AnswerAsync(
        AdmissionDecoder.Decoded decoded, AdmissionReviewer reviewer, WebhookMetrics metrics, ILogger logger, long started, CancellationToken cancellationToken)
    {
        var apiVersion = AdmissionApiVersions.IsSupported(decoded.ApiVersion) ? decoded.ApiVersion! : AdmissionApiVersions.V1;
        AdmissionDecision decision;
        if (decoded.Error is not null)
        {
            if (decoded.Uid is null)
            {
                return BadRequest(metrics, logger, decoded.Error);
            }

            decision = AdmissionReviewer.Deny(decoded.Uid, AdmissionReasons.BadRequest, 400, decoded.Error, "", "", "");
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

        Log(logger, decision);
        return TypedResults.Json(
            new AdmissionReviewResponse { ApiVersion = apiVersion, Response = decision.Response },
            AdmissionJsonContext.Default.AdmissionReviewResponse);
    }

    private static string TooLarge => $"request body exceeds {MaxBodyBytes / (1024 * 1024)} MiB; an AdmissionReview for a pod is far smaller";

    private static ContentHttpResult BadRequest(WebhookMetrics metrics, ILogger logger, string message, int status = StatusCodes.Status400BadRequest)
    {
        metrics.Record(MutationOutcome.Denied, AdmissionReasons.BadRequest, false, "", TimeSpan.Zero);
        AdmissionLog.BadRequest(logger, message);
        return TypedResults.Text(message + "\n", "text/plain; charset=utf-8", null, status);
    }

    private static void Log(ILogger logger, AdmissionDecision decision)
    {
        var response = decision.Response;
        switch (decision.Outcome)
        {
            case MutationOutcome.Mutated:
                AdmissionLog.Mutated(logger, decision.Pod, decision.Namespace, decision.ServiceAccount, response.Patch?.Length ?? 0);
                break;
            case MutationOutcome.Denied:
                AdmissionLog.Denied(logger, decision.Pod, decision.Namespace, decision.ServiceAccount, decision.Reason, response.Status?.Message ?? "");
                break;
            default:
                AdmissionLog.Skipped(logger, decision.Pod, decision.Namespace, decision.ServiceAccount, decision.Reason);
                break;
        }

        if (response.Warnings is { Count: > 0 } warnings && logger.IsEnabled(LogLevel.Information))
        {
            foreach (var warning in warnings)
            {
                AdmissionLog.Warned(logger, decision.Pod, decision.Namespace, decision.ServiceAccount, warning);
            }
        }
    }
}
