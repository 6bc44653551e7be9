using AzureWorkloadIdentity.Core;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>
/// WI-POD-003: the projected token file is readable by each container's user. Its mode is the volume's defaultMode,
/// else 0644 (0600 before Kubernetes 1.19); a non-root user reads a file without the "others" read bit only through
/// fsGroup (group read bit) — the product documentation's classic "permission denied".
/// </summary>
public sealed class TokenReadableCheck : IDoctorCheck
{
    public string Code => DoctorCodes.TokenReadable;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = context.Target.TemplateSpec;
        if (spec is null)
        {
            return null;
        }

        var volume = spec.Volumes?.FirstOrDefault(v => v.Name == WorkloadIdentityDefaults.TokenVolumeName);
        var mode = volume?.Projected?.DefaultMode ?? await DefaultModeAsync(context, cancellationToken).ConfigureAwait(false);
        var skipped = SkipContainersCheck.Names(context.Target.TemplateMetadata);
        var fsGroup = spec.SecurityContext?.FsGroup;
        var blocked = (spec.Containers ?? [])
            .Where(c => !skipped.Contains(c.Name) && IsNonRoot(spec, c))
            .Where(_ => (mode & 0b000_000_100) == 0 && (fsGroup is null || (mode & 0b000_100_000) == 0))
            .Select(c => c.Name)
            .ToList();
        var octal = Convert.ToString(mode, 8).PadLeft(4, '0');
        return blocked.Count == 0
            ? DoctorFinding.Pass(Code, $"the token file (mode {octal}{(fsGroup is null ? string.Empty : $", fsGroup {fsGroup}")}) is readable by every container's user")
            : DoctorFinding.Fail(Code,
                $"container(s) {string.Join(", ", blocked)} run as non-root but the token file has mode {octal}{(fsGroup is null ? " and the pod sets no fsGroup" : string.Empty)}: reading it fails with 'permission denied'",
                "set spec.securityContext.fsGroup (e.g. 65534) on the pod, or give the token volume a readable defaultMode (0644); on Kubernetes before 1.19 upgrade the cluster");
    }

    private static bool IsNonRoot(V1PodSpec spec, V1Container container)
    {
        var user = container.SecurityContext?.RunAsUser ?? spec.SecurityContext?.RunAsUser;
        var nonRoot = container.SecurityContext?.RunAsNonRoot ?? spec.SecurityContext?.RunAsNonRoot;
        return user is { } uid ? uid != 0 : nonRoot == true;
    }

    private static async Task<int> DefaultModeAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        try
        {
            var version = await context.Kubernetes.Version.GetCodeAsync(cancellationToken).ConfigureAwait(false);
            var minor = int.TryParse(new string([.. (version.Minor ?? string.Empty).TakeWhile(char.IsDigit)]), out var m) ? m : int.MaxValue;
            return version.Major == "1" && minor < 19 ? Convert.ToInt32("600", 8) : Convert.ToInt32("644", 8);
        }
        catch (Exception exception) when (exception is HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            return Convert.ToInt32("644", 8);
        }
    }
}
