using AzureWorkloadIdentity.Core;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-POD-002: every name in <c>azure.workload.identity/skip-containers</c> is a container of the pod (a typo skips nothing).</summary>
internal sealed class SkipContainersCheck : IDoctorCheck
{
    public string Code => DoctorCodes.SkipContainers;

    /// <summary>The names the annotation lists: <c>;</c>-separated, trimmed, empty entries ignored (as the webhook reads them).</summary>
    public static IReadOnlySet<string> Names(V1ObjectMeta? metadata) =>
        metadata?.Annotations?.TryGetValue(WorkloadIdentityAnnotations.SkipContainers, out var value) == true
            ? value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();

    public Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var names = Names(context.Target.TemplateMetadata);
        var spec = context.Target.TemplateSpec;
        if (names.Count == 0 || spec is null)
        {
            return Task.FromResult<DoctorFinding?>(null);
        }

        var containers = (spec.Containers ?? []).Concat(spec.InitContainers ?? []).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = names.Where(n => !containers.Contains(n)).Order(StringComparer.Ordinal).ToList();
        return Task.FromResult<DoctorFinding?>(unknown.Count == 0
            ? DoctorFinding.Pass(Code, $"skip-containers names existing containers ({string.Join(", ", names.Order(StringComparer.Ordinal))})")
            : DoctorFinding.Warn(Code,
                $"skip-containers names {string.Join(", ", unknown)}, which the pod does not have (its containers: {string.Join(", ", containers.Order(StringComparer.Ordinal))}); nothing is skipped for those",
                $"correct the names in {WorkloadIdentityAnnotations.SkipContainers} (separated by ';')"));
    }
}
