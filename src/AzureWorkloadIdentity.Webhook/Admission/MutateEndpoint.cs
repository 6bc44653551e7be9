using AzureWorkloadIdentity.Webhook.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// <c>POST /mutate-v1-pod</c>: read, decode, decide, answer (<see cref="AdmissionEndpoint"/>), the pod's
/// decision by <see cref="AdmissionReviewer"/>.
/// </summary>
public static class MutateEndpoint
{
    public const string Path = "/mutate-v1-pod";

    /// <summary>Largest request body accepted (3 MiB, the API server's own request limit).</summary>
    public const long MaxBodyBytes = AdmissionEndpoint.MaxBodyBytes;

    public static Task<Results<JsonHttpResult<AdmissionReviewResponse>, ContentHttpResult>> HandleAsync(
        HttpRequest request, AdmissionReviewer reviewer, AdmissionBudget budget, TimeProvider time, WebhookMetrics metrics,
        ILogger<AdmissionReviewer> logger, CancellationToken cancellationToken) =>
        AdmissionEndpoint.ServeAsync(request, reviewer, budget, time, metrics, logger, cancellationToken);
}
