using System.Text.Json;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>A member read in the forward pass: its JSON kind (undefined when absent) and its text when a string.</summary>
internal readonly record struct JsonField(JsonValueKind Kind, string? Text)
{
    /// <summary>Absent, or JSON null: no value.</summary>
    public bool IsMissing => Kind is JsonValueKind.Undefined or JsonValueKind.Null;
}
