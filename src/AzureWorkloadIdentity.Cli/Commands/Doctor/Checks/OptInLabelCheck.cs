using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-OPT-001: the pod carries <c>azure.workload.identity/use: "true"</c> (the service account's label alone is deprecated).</summary>
internal sealed class OptInLabelCheck : IDoctorCheck
{
    public string Code => DoctorCodes.OptInLabel;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Target;
        if (!target.HasPodTemplate || OptInFacts.WorkloadValue(target) is not null)
        {
            return null; // no pod to label, or WI-OPT-002 explains the misplaced label
        }

        var value = OptInFacts.TemplateValue(target);
        if (value is not null)
        {
            return value == WorkloadIdentityLabels.UseValue
                ? DoctorFinding.Pass(Code, $"{target.Description} has the label {WorkloadIdentityLabels.Use}: \"true\"")
                : null; // WI-OPT-003 explains the value
        }

        if (OptInFacts.ServiceAccountOptsIn(await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false)))
        {
            return DoctorFinding.Warn(Code,
                $"{target.Description} has no label {WorkloadIdentityLabels.Use}; only its service account opts in, which is deprecated",
                $"add the label {WorkloadIdentityLabels.Use}: \"true\" to the pod (spec.template.metadata.labels of a workload)");
        }

        return DoctorFinding.Fail(Code,
            $"{target.Description} has no label {WorkloadIdentityLabels.Use}: the webhook leaves it alone (no AZURE_* environment, no token)",
            $"add the label {WorkloadIdentityLabels.Use}: \"true\" to the pod (spec.template.metadata.labels of a workload) and recreate the pod");
    }
}
