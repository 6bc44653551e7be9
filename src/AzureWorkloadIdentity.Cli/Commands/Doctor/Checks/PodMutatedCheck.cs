using AzureWorkloadIdentity.Core;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>
/// WI-POD-001: a pod that opts in was mutated (AZURE_FEDERATED_TOKEN_FILE, the token volume and its mount); one that
/// was not was created before the webhook was installed or while it was unreachable (failurePolicy Ignore).
/// </summary>
internal sealed class PodMutatedCheck : IDoctorCheck
{
    public string Code => DoctorCodes.PodMutated;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pod = context.Target.Pod;
        var account = await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false);
        if (pod is null || account is null || !OptInFacts.OptsIn(context.Target, account))
        {
            return null;
        }

        var skipped = SkipContainersCheck.Names(context.Target.TemplateMetadata);
        var missing = new List<string>();
        if (pod.Spec.Volumes?.Any(v => v.Name == WorkloadIdentityDefaults.TokenVolumeName) != true)
        {
            missing.Add($"volume {WorkloadIdentityDefaults.TokenVolumeName}");
        }

        foreach (var container in pod.Spec.Containers.Where(c => !skipped.Contains(c.Name)))
        {
            if (container.Env?.Any(e => e.Name == WorkloadIdentityEnvironment.FederatedTokenFile) != true)
            {
                missing.Add($"{WorkloadIdentityEnvironment.FederatedTokenFile} in container {container.Name}");
            }

            if (container.VolumeMounts?.Any(m => m.MountPath == WorkloadIdentityDefaults.TokenMountPath) != true)
            {
                missing.Add($"the token mount in container {container.Name}");
            }
        }

        if (missing.Count == 0)
        {
            return DoctorFinding.Pass(Code, $"pod {pod.Name()} was mutated: environment, token volume and mount are present");
        }

        var when = await WhyUnmutatedAsync(context, pod, cancellationToken).ConfigureAwait(false);
        return DoctorFinding.Fail(Code,
            $"pod {pod.Name()} opts in but was not mutated (missing {string.Join(", ", missing)}): {when}",
            $"once the webhook checks pass, recreate the pod: kubectl delete pod -n {pod.Namespace()} {pod.Name()} (its controller creates a mutated one)");
    }

    private static async Task<string> WhyUnmutatedAsync(DoctorContext context, V1Pod pod, CancellationToken cancellationToken)
    {
        var registration = (await context.WebhooksAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        if (registration is null)
        {
            return "no webhook is installed";
        }

        var configuration = await context.Kubernetes.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync(
            registration.ConfigurationName, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Because(configuration.Metadata?.CreationTimestamp, pod.Metadata?.CreationTimestamp);
    }

    /// <summary>Why a pod is not mutated, from when the webhook was installed and when the pod was created.</summary>
    internal static string Because(DateTime? installed, DateTime? created)
    {
        // Creation timestamps count whole seconds: a pod of the same second as the webhook's configuration may have
        // come just before it, or before the webhook's server was ready to answer.
        return (installed, created) switch
        {
            ({ } at, { } pod) when pod < at => $"it was created at {pod:u}, before the webhook was installed at {at:u}",
            ({ } at, { } pod) when pod == at =>
                $"it was created at {pod:u}, the second the webhook was installed: before the webhook was installed, or before it was ready to answer",
            _ => "it was created while the webhook was unreachable (failurePolicy Ignore) or did not match its selectors",
        };
    }
}
