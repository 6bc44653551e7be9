namespace AzureWorkloadIdentity.Sandbox.Cloud;

/// <summary>One version of a Key Vault secret.</summary>
/// <param name="Version">32 lower-case hex characters.</param>
public sealed record SecretVersion(
    string Version,
    string Value,
    string? ContentType,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, string> Tags);
