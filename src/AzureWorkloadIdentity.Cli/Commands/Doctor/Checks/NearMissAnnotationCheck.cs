using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>
/// WI-SA-004: no label or annotation key on the service account or the pod that looks like ours but is not
/// (<c>client_id</c>, <c>clientid</c>, a wrong prefix): the webhook ignores those silently.
/// </summary>
internal sealed class NearMissAnnotationCheck : IDoctorCheck
{
    public string Code => DoctorCodes.NearMissAnnotation;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var account = await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false);
        var target = context.Target;
        IEnumerable<(string Where, string Key)> keys =
        [
            .. Keys("service account", account?.Metadata?.Annotations), .. Keys("service account", account?.Metadata?.Labels),
            .. Keys("pod", target.TemplateMetadata?.Annotations), .. Keys("pod", target.TemplateMetadata?.Labels),
        ];
        var misses = keys.Select(k => (k.Where, k.Key, Intended: WorkloadIdentityNearMiss.Intended(k.Key))).Where(k => k.Intended is not null).ToList();
        if (account is null && !target.HasPodTemplate)
        {
            return null;
        }

        return misses.Count == 0
            ? DoctorFinding.Pass(Code, "no label or annotation key that looks like ours but is not")
            : DoctorFinding.Fail(Code,
                string.Join("; ", misses.Select(m => $"the {m.Where}'s key '{m.Key}' is not '{m.Intended}', the webhook ignores it")),
                "rename " + string.Join(", ", misses.Select(m => $"'{m.Key}' to '{m.Intended}'")));
    }

    private static IEnumerable<(string, string)> Keys(string where, IDictionary<string, string>? values) =>
        (values?.Keys ?? []).Select(k => (where, k));
}
