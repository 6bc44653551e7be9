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
