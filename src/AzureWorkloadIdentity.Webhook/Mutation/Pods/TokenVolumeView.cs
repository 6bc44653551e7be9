namespace AzureWorkloadIdentity.Webhook.Mutation.Pods;

/// <summary>A volume named <c>azure-identity-token</c>: where it is and the token sources it projects.</summary>
/// <param name="Index">Its index in <c>spec.volumes</c>.</param>
/// <param name="TokenSources">
/// Its <c>projected.sources</c> that project a service-account token at path <c>azure-identity-token</c>: the
/// source's index and its <c>expirationSeconds</c> (null when not an integer).
/// </param>
internal sealed record TokenVolumeView(int Index, IReadOnlyList<(int Index, long? ExpirationSeconds)> TokenSources)
{
    /// <summary>It projects the token the webhook would add (otherwise it merely has the reserved name).</summary>
    public bool ProjectsToken => TokenSources.Count > 0;
}
