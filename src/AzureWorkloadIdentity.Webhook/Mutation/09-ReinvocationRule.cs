using System.Text.Json;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 9: every invocation gives what one invocation on the current pod gives. The pod's <see cref="InjectionRecord"/>
/// says which values the webhook injected before (so <see cref="EnvironmentRule"/> and <see cref="TokenVolumeRule"/>
/// can make them follow a changed service account), is kept equal to what this invocation injects, and a pod that no
/// longer opts in but still holds a recorded value is refused.
/// </summary>
public static class ReinvocationRule
{
    private static readonly string AnnotationPath = "/metadata/annotations/" + JsonPointer.Escape(WorkloadIdentityAnnotations.Injected);

    /// <summary>
    /// The pod's record; for a pod that does not opt in (<paramref name="optedIn"/> false) a denial when it still
    /// holds an identity the webhook injected, since admitting it would run it with another workload's identity.
    /// </summary>
    public static RuleResult<InjectionRecord> Record(PodView pod, bool optedIn, ServiceAccountIdentity serviceAccount)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(serviceAccount);
        var record = InjectionRecord.Read(pod);
        if (optedIn || !HoldsInjectedIdentity(pod.Spec, record))
        {
            return record;
        }

        return new Denial(DenialReasons.IdentityWithoutOptIn,
            $"the pod carries an Azure workload identity the webhook injected earlier (annotation '{WorkloadIdentityAnnotations.Injected}'), "
            + $"but it no longer opts in with service account {serviceAccount.Namespace}/{serviceAccount.Name}; another mutating webhook probably "
            + $"changed it. Give it the label '{WorkloadIdentityLabels.Use}: \"true\"' or a service account that opts in, or create it without "
            + "the injected AZURE_CLIENT_ID/AZURE_TENANT_ID and token volume");
    }

    /// <summary>
    /// Adds or corrects the record so it equals what this invocation injects; untouched when already equal (so a second
    /// invocation on the same pod adds nothing).
    /// </summary>
    public static void Apply(PodView pod, RecordValue value, PatchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(builder);
        // A member of the wrong type (only in hand-made requests) is left alone rather than replaced by an "add".
        var metadata = pod.Metadata;
        if (IsMissing(metadata.Kind))
        {
            builder.Add("/metadata", value.Metadata);
        }
        else if (metadata.Kind != JsonValueKind.Object)
        {
            return;
        }
        else if (IsMissing(metadata.AnnotationsKind))
        {
            builder.Add("/metadata/annotations", value.Annotations);
        }
        else if (metadata.AnnotationsKind != JsonValueKind.Object)
        {
            return;
        }
        else if (!metadata.Annotations.InjectedPresent)
        {
            builder.Add(AnnotationPath, value.Json);
        }
        else if (metadata.Annotations.Injected != value.Text)
        {
            builder.Replace(AnnotationPath, value.Json);
        }
    }

    /// <summary>Whether a pod still holds a value the record says the webhook injected.</summary>
    private static bool HoldsInjectedIdentity(PodSpecView spec, InjectionRecord record)
    {
        if (record.IsNone)
        {
            return false;
        }

        foreach (var container in spec.InitContainers.Items.Concat(spec.Containers.Items))
        {
            if (EnvironmentRule.HoldsRecordedValue(container, record))
            {
                return true;
            }
        }

        return TokenVolumeRule.HoldsRecordedVolume(spec, record);
    }

    private static bool IsMissing(JsonValueKind kind) => kind is JsonValueKind.Undefined or JsonValueKind.Null;
}
