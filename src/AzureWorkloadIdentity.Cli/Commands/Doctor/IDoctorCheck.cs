namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>
/// One link of the chain pod → service account → webhook → issuer → federated credential → Entra ID. A check owns
/// one code; it answers null when it does not apply (e.g. a pod check when only a service account is diagnosed, or a
/// check whose input an earlier failed check could not provide).
/// </summary>
internal interface IDoctorCheck
{
    string Code { get; }

    Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken);
}
