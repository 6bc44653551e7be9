using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Mutation.Pods;

/// <summary>The pod's <c>metadata</c> as the rules read it: names, the opt-in label and the annotations of ours.</summary>
internal sealed class PodMetadataView
{
    /// <summary>No <c>metadata</c> member.</summary>
    public static PodMetadataView Absent { get; } = new();

    /// <summary>The member's JSON kind (undefined when absent).</summary>
    public JsonValueKind Kind { get; internal set; }

    public string? Name { get; internal set; }

    public string? GenerateName { get; internal set; }

    public string? Namespace { get; internal set; }

    /// <summary>The label <c>azure.workload.identity/use</c>, when a string.</summary>
    public string? UseLabel { get; internal set; }

    /// <summary>The JSON kind of <c>annotations</c> (undefined when absent).</summary>
    public JsonValueKind AnnotationsKind { get; internal set; }

    /// <summary>Our annotations (only those the rules read), by key; null when the pod has none of them.</summary>
    public PodAnnotations Annotations { get; internal set; } = PodAnnotations.None;

    /// <summary>Label keys that look like ours but are not, with the key meant; null when there are none.</summary>
    public List<NearMissKey>? NearMissLabels { get; internal set; }

    /// <summary>Annotation keys that look like ours but are not, with the key meant; null when there are none.</summary>
    public List<NearMissKey>? NearMissAnnotations { get; internal set; }
}
