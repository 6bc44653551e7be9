using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-SA-003: the client id is a well-formed GUID (a name or a quoted value is refused by Entra ID).</summary>
internal sealed class ClientIdFormatCheck : IDoctorCheck
{
    public string Code => DoctorCodes.ClientIdFormat;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var account = await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false);
        return ServiceAccountFacts.ClientId(account) is not { Length: > 0 } clientId
            ? null
            : ServiceAccountFacts.IsGuid(clientId)
                ? DoctorFinding.Pass(Code, $"client-id {clientId} is a GUID")
                : DoctorFinding.Fail(Code,
                    $"{WorkloadIdentityAnnotations.ClientId} is \"{clientId}\", not a GUID",
                    "set it to the identity's client (application) id, e.g. from az identity show --query clientId or az ad app show --query appId");
    }
}
