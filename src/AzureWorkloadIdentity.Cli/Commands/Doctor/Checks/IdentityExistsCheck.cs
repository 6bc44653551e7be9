namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-FIC-001: an application or user-assigned identity with the service account's client id exists (AADSTS700016 otherwise).</summary>
internal sealed class IdentityExistsCheck : IDoctorCheck
{
    public string Code => DoctorCodes.IdentityExists;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clientId = ServiceAccountFacts.ClientId(await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false));
        if (clientId is null || !ServiceAccountFacts.IsGuid(clientId) || context.HasFailed(DoctorCodes.AzureSignIn))
        {
            return null;
        }

        try
        {
            var identity = await context.IdentityAsync(clientId, cancellationToken).ConfigureAwait(false);
            return identity is not null
                ? DoctorFinding.Pass(Code, $"client id {clientId} is {identity.Kind} {identity.Name} with {identity.Credentials.Count} federated credential(s)")
                : DoctorFinding.Fail(Code,
                    $"no application or user-assigned identity has client id {clientId}; Entra ID answers AADSTS700016",
                    "correct azure.workload.identity/client-id (az identity show --query clientId / az ad app list --display-name …), or create the identity (azwi serviceaccount create)");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return DoctorFinding.Fail(Code, $"could not look up client id {clientId}: {CommandActions.Describe(exception).ReplaceLineEndings(" ")}",
                "grant the signed-in principal read access to applications (Graph) and the subscription's managed identities");
        }
    }
}
