using System.Text.Json.Serialization;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>Source-generated serialisation of the admission DTOs (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(AdmissionReviewResponse))]
internal sealed partial class AdmissionJsonContext : JsonSerializerContext;
