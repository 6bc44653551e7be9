using System.Text.Json.Serialization;

namespace AzureWorkloadIdentity.Proxy.Token;

/// <summary>IMDS's token JSON: every value a string, which is what MSAL, Azure.Identity and the JS SDK all parse.</summary>
internal sealed record ImdsTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("expires_in")] string ExpiresIn,
    [property: JsonPropertyName("ext_expires_in")] string ExtExpiresIn,
    [property: JsonPropertyName("not_before")] string NotBefore,
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_on")] string ExpiresOn);
