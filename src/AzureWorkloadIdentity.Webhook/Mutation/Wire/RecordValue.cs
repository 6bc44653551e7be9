using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Webhook.Mutation.Wire;

/// <summary>
/// The record annotation's text and, serialised once, the patch values that carry it: the JSON string, an
/// <c>annotations</c> object holding only it, and a <c>metadata</c> object holding that.
/// </summary>
internal sealed class RecordValue
{
    private RecordValue(string text)
    {
        Text = text;
        Json = PatchValue.From(JsonValue.Create(text));
        Annotations = PatchValue.From(new JsonObject { [WorkloadIdentityAnnotations.Injected] = text });
        Metadata = PatchValue.From(new JsonObject { ["annotations"] = new JsonObject { [WorkloadIdentityAnnotations.Injected] = text } });
    }

    public string Text { get; }

    public ReadOnlyMemory<byte> Json { get; }

    public ReadOnlyMemory<byte> Annotations { get; }

    public ReadOnlyMemory<byte> Metadata { get; }

    public static RecordValue Create(string text) => new(text);
}
