namespace AzureWorkloadIdentity.Sandbox.Cloud;

/// <summary>An Entra application registration (Graph <c>application</c>).</summary>
/// <param name="ObjectId">Graph object id (<c>id</c>).</param>
/// <param name="AppId">The client id.</param>
/// <param name="Secrets">Client secrets (plain text; the sandbox only).</param>
public sealed record Application(
    string TenantId,
    string ObjectId,
    string AppId,
    string DisplayName,
    DateTimeOffset CreatedDateTime,
    IReadOnlyList<FederatedCredential> FederatedCredentials,
    IReadOnlyList<string> Secrets)
{
    /// <summary>Certificate credentials (Graph <c>keyCredentials</c>); empty in state files written before they existed.</summary>
    public IReadOnlyList<KeyCredential> KeyCredentials { get; init; } = [];
}
