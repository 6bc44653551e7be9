using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-OPT-002: the opt-in label is on the pod template, not only on a Deployment's/Job's/CronJob's own metadata.</summary>
internal sealed class OptInOnTemplateCheck : IDoctorCheck
{
    public string Code => DoctorCodes.OptInOnTemplate;

    public Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Target;
        if (OptInFacts.WorkloadValue(target) is null)
        {
            return Task.FromResult<DoctorFinding?>(null);
        }

        var kind = target.Workload!.Kind;
        var name = target.Workload.Metadata?.Name;
        return Task.FromResult<DoctorFinding?>(OptInFacts.TemplateValue(target) is not null
            ? DoctorFinding.Pass(Code, $"{kind} {name} carries the label on its pod template")
            : DoctorFinding.Fail(Code,
                $"{kind} {name} has the label {WorkloadIdentityLabels.Use} on its own metadata but not on its pod template; the webhook sees only the pods",
                $"move the label to spec.template.metadata.labels{(kind == "CronJob" ? " of spec.jobTemplate.spec" : string.Empty)} and roll the workload out again"));
    }
}
