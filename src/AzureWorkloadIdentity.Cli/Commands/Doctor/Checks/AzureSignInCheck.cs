namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-AZ-001: azwi signs in to read the identity and its federated credentials (only when there is a client id to look up).</summary>
internal sealed class AzureSignInCheck : IDoctorCheck
{
    public string Code => DoctorCodes.AzureSignIn;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ServiceAccountFacts.ClientId(await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false)) is not { } clientId
            || !ServiceAccountFacts.IsGuid(clientId))
        {
            return null;
        }

        try
        {
            var azure = await context.AzureAsync(cancellationToken).ConfigureAwait(false);
            return DoctorFinding.Pass(Code, $"signed in to tenant {azure.TenantId}, subscription {azure.SubscriptionId}");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return DoctorFinding.Fail(Code,
                $"cannot sign in to Azure to read the identity: {CommandActions.Describe(exception).ReplaceLineEndings(" ")}",
                "pass --subscription-id and --auth-method with its credentials, as for azwi serviceaccount (az login for --auth-method cli)");
        }
    }
}
