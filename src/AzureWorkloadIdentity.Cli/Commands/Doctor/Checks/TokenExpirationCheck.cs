using System.Globalization;
using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>
/// WI-SA-006: <c>azure.workload.identity/service-account-token-expiration</c> (on the service account or the pod) is a
/// whole number of seconds from 3600 to 86400; the webhook denies the pod otherwise.
/// </summary>
internal sealed class TokenExpirationCheck : IDoctorCheck
{
    public string Code => DoctorCodes.TokenExpiration;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var account = await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false);
        string? podValue = null;
        context.Target.TemplateMetadata?.Annotations?.TryGetValue(WorkloadIdentityAnnotations.ServiceAccountTokenExpiration, out podValue);
        string? accountValue = null;
        account?.Metadata?.Annotations?.TryGetValue(WorkloadIdentityAnnotations.ServiceAccountTokenExpiration, out accountValue);
        var (where, value) = podValue is not null ? ("the pod", podValue) : ("the service account", accountValue);
        if (value is null)
        {
            return account is null ? null : DoctorFinding.Pass(Code, $"no expiration annotation: tokens live {WorkloadIdentityDefaults.TokenExpirationSeconds} s");
        }

        var min = WorkloadIdentityDefaults.MinTokenExpirationSeconds;
        var max = WorkloadIdentityDefaults.MaxTokenExpirationSeconds;
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds >= min && seconds <= max
            ? DoctorFinding.Pass(Code, $"token expiration {seconds} s on {where} is within {min}..{max}")
            : DoctorFinding.Fail(Code,
                $"{WorkloadIdentityAnnotations.ServiceAccountTokenExpiration} on {where} is \"{value}\": the webhook denies the pod",
                $"set it to a whole number of seconds from {min} to {max} (e.g. \"3600\"), or remove it");
    }
}
