using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Admission;

namespace AzureWorkloadIdentity.Webhook.Mutation.Pods;

/// <summary>
/// What the rules read of a pod (or a workload's pod template), collected by <see cref="Wire.PodReader"/> in the
/// one forward pass over the request. Everything else in the pod is skipped, never copied: the patch addresses the
/// object as received, so the webhook needs the pod's shape and a few values, not the pod.
/// </summary>
/// <remarks>
/// Members read tolerantly: a member of another JSON type than expected reads as absent (null, false or an empty
/// list) and its kind is kept where a rule must tell "absent" from "of the wrong type" (<see cref="PodShapeRule"/>,
/// <see cref="ReinvocationRule"/>). When a member appears twice the last one counts, as in a parsed document.
/// </remarks>
internal sealed class PodView : IAdmissionObject<PodView>
{
    /// <summary>The JSON kind of the object itself (<see cref="JsonValueKind.Object"/> for a pod).</summary>
    public JsonValueKind Shape { get; internal set; }

    /// <summary>The object's own <c>kind</c>, when a string.</summary>
    public string? Kind { get; internal set; }

    public PodMetadataView Metadata { get; internal set; } = PodMetadataView.Absent;

    public PodSpecView Spec { get; internal set; } = PodSpecView.Absent;

    /// <summary>The pod's name, or <c>generateName</c> followed by " (prefix)" when it has none yet.</summary>
    public string DisplayName => Metadata switch
    {
        { Name: { Length: > 0 } name } => name,
        { GenerateName: { Length: > 0 } generateName } => generateName + " (prefix)",
        _ => "",
    };

    /// <summary>Reads a pod from JSON text (tests and tools; the webhook reads it inside the review).</summary>
    public static PodView Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        var pod = Wire.PodReader.Read(ref reader);
        while (reader.Read())
        {
        }

        return pod;
    }

    static PodView IAdmissionObject<PodView>.Read(ref Utf8JsonReader reader) => Wire.PodReader.Read(ref reader);
}
