namespace AzureWorkloadIdentity.Sandbox.Cloud;

/// <summary>A federated identity credential on an application or a user-assigned identity.</summary>
/// <param name="Id">Graph object id (applications) or ARM resource id (identities).</param>
/// <param name="Name">Unique per parent; 3–120 characters.</param>
/// <param name="Issuer">Compared byte for byte with the assertion's <c>iss</c>.</param>
/// <param name="Subject">Compared byte for byte with the assertion's <c>sub</c>.</param>
/// <param name="Audiences">Exactly one in Entra today; the assertion's <c>aud</c> must equal it.</param>
public sealed record FederatedCredential(
    string Id,
    string Name,
    string Issuer,
    string Subject,
    IReadOnlyList<string> Audiences,
    string? Description = null);
