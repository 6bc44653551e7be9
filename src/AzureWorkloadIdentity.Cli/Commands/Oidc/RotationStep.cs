namespace AzureWorkloadIdentity.Cli.Commands.Oidc;

/// <summary>
/// One step of a key rotation: what to do and why, the commands as a user types them, and — for the steps that
/// change them — the key ids the issuer publishes and the key the cluster signs with afterwards.
/// </summary>
internal sealed record RotationStep(
    string Title,
    string Why,
    IReadOnlyList<string> Commands,
    IReadOnlyList<string>? PublishedKeyIds,
    IReadOnlyList<string>? ClusterKeyIds,
    string? SigningKeyId,
    TimeSpan? Wait);
