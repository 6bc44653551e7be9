using System.Text.Json.Serialization;

namespace AzureWorkloadIdentity.Sandbox.Entra;

/// <summary>A successful token response, with the fields MSAL requires.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("ext_expires_in")] int ExtExpiresIn,
    [property: JsonPropertyName("access_token")] string AccessToken);
