namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// The pre-run creating and deleting a federated credential share: the service account, the issuer, and the identity
/// the credential belongs to (the resource group of a user-assigned identity, or a way to find the application).
/// </summary>
internal static class FederatedIdentityPreRun
{
    /// <summary>Returns the issuer URL the credential names.</summary>
    public static async Task<string> CheckAsync(ServiceAccountRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.Inputs.RequireServiceAccount();
        var issuer = await run.Issuer.ResolveAsync(cancellationToken).ConfigureAwait(false);
        if (run.Inputs.UsesUserAssignedIdentity)
        {
            run.Inputs.RequireResourceGroup();
        }
        else if (string.IsNullOrEmpty(run.Inputs.ApplicationObjectId))
        {
            await run.ApplicationName.ResolveAsync(cancellationToken).ConfigureAwait(false);
        }

        return issuer;
    }
}
