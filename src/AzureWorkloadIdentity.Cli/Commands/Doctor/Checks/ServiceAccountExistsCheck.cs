namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-SA-001: the service account the pod names exists (the webhook denies the pod otherwise).</summary>
internal sealed class ServiceAccountExistsCheck : IDoctorCheck
{
    public string Code => DoctorCodes.ServiceAccountExists;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Target;
        return await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false) is not null
            ? DoctorFinding.Pass(Code, $"service account {target.Namespace}/{target.ServiceAccountName} exists")
            : DoctorFinding.Fail(Code,
                $"service account {target.Namespace}/{target.ServiceAccountName} not found",
                $"create it (azwi serviceaccount create --service-account-namespace {target.Namespace} --service-account-name {target.ServiceAccountName} …) or set spec.serviceAccountName to an existing one");
    }
}
