using System.Text.Json;
using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Keeps the pod's <see cref="InjectionRecord"/> annotation equal to what this invocation injects: added when the
/// webhook changes the pod, replaced when a reinvocation injects other values, untouched when already equal (so a
/// second invocation on the same pod adds nothing).
/// </summary>
public static class RecordRule
{
    private static readonly string AnnotationPath = "/metadata/annotations/" + JsonPointer.Escape(WorkloadIdentityAnnotations.Injected);

    public static void Apply(JsonElement pod, RecordValue value, PatchBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(builder);
        // A member of the wrong type (only in hand-made requests) is left alone rather than replaced by an "add".
        if (!Member(pod, "metadata", out var metadata))
        {
            builder.Add("/metadata", value.Metadata);
            return;
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (!Member(metadata, "annotations", out var annotations))
        {
            builder.Add("/metadata/annotations", value.Annotations);
            return;
        }

        if (annotations.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (!annotations.TryGetProperty(WorkloadIdentityAnnotations.Injected, out var current))
        {
            builder.Add(AnnotationPath, value.Json);
        }
        else if (current.ValueKind != JsonValueKind.String || !current.ValueEquals(value.Text))
        {
            builder.Replace(AnnotationPath, value.Json);
        }
    }

    /// <summary>False when the member is absent or JSON null (an "add" may then create it).</summary>
    private static bool Member(JsonElement parent, string name, out JsonElement value)
    {
        value = default;
        return parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }
}
