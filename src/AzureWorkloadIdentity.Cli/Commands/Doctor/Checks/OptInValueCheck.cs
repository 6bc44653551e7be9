using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-OPT-003: the opt-in label's value is exactly <c>"true"</c> (not <c>"True"</c>, <c>"yes"</c>).</summary>
internal sealed class OptInValueCheck : IDoctorCheck
{
    public string Code => DoctorCodes.OptInValue;

    public Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var value = OptInFacts.TemplateValue(context.Target) ?? OptInFacts.WorkloadValue(context.Target);
        return Task.FromResult<DoctorFinding?>(value switch
        {
            null => null,
            WorkloadIdentityLabels.UseValue => DoctorFinding.Pass(Code, "the label's value is \"true\""),
            _ => DoctorFinding.Fail(Code,
                $"the label {WorkloadIdentityLabels.Use} is \"{value}\"; the webhook opts in only on exactly \"true\"",
                $"set {WorkloadIdentityLabels.Use}: \"true\" (lower case, quoted in YAML) and recreate the pod"),
        });
    }
}
