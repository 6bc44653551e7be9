namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>The body of <c>POST /applications</c> (only what the sandbox keeps; other properties are ignored).</summary>
internal sealed record ApplicationCreateRequest(string? DisplayName);

/// <summary>The body of <c>POST /servicePrincipals</c>.</summary>
internal sealed record ServicePrincipalCreateRequest(string? AppId, IReadOnlyList<string>? Tags);

/// <summary>The body of <c>POST /applications/{id}/federatedIdentityCredentials</c>.</summary>
internal sealed record FederatedCredentialCreateRequest(
    string? Name,
    string? Issuer,
    string? Subject,
    IReadOnlyList<string>? Audiences,
    string? Description);

/// <summary>The body of <c>PATCH /applications/{id}</c>: only the properties present change.</summary>
internal sealed record ApplicationUpdateRequest(string? DisplayName, IReadOnlyList<KeyCredentialRequest>? KeyCredentials);

/// <summary>One entry of an application's <c>keyCredentials</c> as the Graph SDK sends it (binary values in base64).</summary>
internal sealed record KeyCredentialRequest(
    string? KeyId,
    string? DisplayName,
    string? Type,
    string? Usage,
    byte[]? Key,
    byte[]? CustomKeyIdentifier,
    DateTimeOffset? StartDateTime,
    DateTimeOffset? EndDateTime);
