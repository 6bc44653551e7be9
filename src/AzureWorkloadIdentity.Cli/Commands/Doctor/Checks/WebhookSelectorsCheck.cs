using k8s;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-WH-004: the webhook's namespaceSelector and objectSelector would send this pod to it.</summary>
public sealed class WebhookSelectorsCheck : IDoctorCheck
{
    public string Code => DoctorCodes.WebhookSelectors;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var registration = await context.PodWebhookAsync(cancellationToken).ConfigureAwait(false);
        if (registration is null)
        {
            return null;
        }

        var ns = context.Target.Namespace;
        var namespaceObject = await context.Kubernetes.CoreV1.ReadNamespaceAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        // The API server always sets this label; older objects may not show it yet.
        var namespaceLabels = new Dictionary<string, string>(namespaceObject.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["kubernetes.io/metadata.name"] = ns,
        };
        if (!LabelSelectorMatch.Matches(registration.Webhook.NamespaceSelector, namespaceLabels, out var unmetNamespace))
        {
            return DoctorFinding.Fail(Code,
                $"namespace {ns} does not match the webhook's namespaceSelector ({unmetNamespace}): its pods are never sent to the webhook",
                ns == "kube-system"
                    ? "run the workload in another namespace (kube-system is excluded; on AKS the admissions enforcer excludes it too)"
                    : $"relabel namespace {ns} or widen the namespaceSelector of {registration.ConfigurationName}");
        }

        var podLabels = context.Target.TemplateMetadata?.Labels ?? new Dictionary<string, string>();
        if (context.Target.HasPodTemplate && !LabelSelectorMatch.Matches(registration.Webhook.ObjectSelector, podLabels, out var unmetObject))
        {
            return DoctorFinding.Fail(Code,
                $"the pod's labels do not match the webhook's objectSelector ({unmetObject})",
                $"add the labels the objectSelector of {registration.ConfigurationName} requires to the pod, or widen it");
        }

        return DoctorFinding.Pass(Code, $"namespace {ns}{(context.Target.HasPodTemplate ? " and the pod's labels" : string.Empty)} match the webhook's selectors");
    }
}
