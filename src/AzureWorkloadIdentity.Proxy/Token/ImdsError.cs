using System.Text.Json.Serialization;

namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>IMDS's flat error JSON; a 400 with this body is not retried by MSAL.</summary>
internal sealed record ImdsError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);
