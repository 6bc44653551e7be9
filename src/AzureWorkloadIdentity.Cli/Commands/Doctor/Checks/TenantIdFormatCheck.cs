using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-SA-005: the optional <c>azure.workload.identity/tenant-id</c> is a well-formed GUID.</summary>
internal sealed class TenantIdFormatCheck : IDoctorCheck
{
    public string Code => DoctorCodes.TenantIdFormat;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return null;
        }

        return ServiceAccountFacts.TenantId(account) switch
        {
            null => DoctorFinding.Pass(Code, "no tenant-id annotation: the webhook's tenant (AZURE_TENANT_ID) is used"),
            var tenant when ServiceAccountFacts.IsGuid(tenant) => DoctorFinding.Pass(Code, $"tenant-id {tenant} is a GUID"),
            var tenant => DoctorFinding.Fail(Code,
                $"{WorkloadIdentityAnnotations.TenantId} is \"{tenant}\", not a GUID; Entra ID answers AADSTS90002 (tenant not found)",
                "set it to the tenant's id (az account show --query tenantId) or remove it to use the webhook's tenant"),
        };
    }
}
