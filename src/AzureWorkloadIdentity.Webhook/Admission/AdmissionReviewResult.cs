using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// HTTP 200 with the review as <c>application/json; charset=utf-8</c> (what <c>TypedResults.Json</c> answered),
/// written by <see cref="AdmissionReviewWriter"/> straight into the response's pipe.
/// </summary>
public sealed class AdmissionReviewResult(AdmissionReviewResponse review)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IValueHttpResult, IValueHttpResult<AdmissionReviewResponse>
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public AdmissionReviewResponse Value { get; } = review ?? throw new ArgumentNullException(nameof(review));

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => JsonContentType;

    object? IValueHttpResult.Value => Value;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        var body = response.BodyWriter;

        // Flush only advances the pipe over what was written into its own buffer; nothing is copied.
        using (var writer = new Utf8JsonWriter(body))
        {
            AdmissionReviewWriter.Write(writer, Value);
            writer.Flush();
        }

        await body.FlushAsync(httpContext.RequestAborted);
    }
}
