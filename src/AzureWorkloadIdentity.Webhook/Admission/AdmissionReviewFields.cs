using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// The review's members as the forward pass met them, with their JSON kinds, before <see cref="AdmissionDecoder"/>
/// judges them (a member of the wrong type makes the review invalid, and the first such member is named). A struct on
/// the decoder's stack: an admission allocates nothing for it.
/// </summary>
internal struct AdmissionReviewFields<TObject>
    where TObject : class
{
    public JsonValueKind RootKind { get; set; }

    public JsonField ApiVersion { get; set; }

    public JsonField Kind { get; set; }

    public JsonValueKind RequestKind { get; set; }

    public JsonField Uid { get; set; }

    public JsonValueKind RequestKindKind { get; set; }

    public JsonField Group { get; set; }

    public JsonField Version { get; set; }

    public JsonField KindName { get; set; }

    public JsonField SubResource { get; set; }

    public JsonField Name { get; set; }

    public JsonField Namespace { get; set; }

    public JsonField Operation { get; set; }

    public TObject? Object { get; set; }

    /// <summary>A request with an object, forgetting one read before (when a member appears twice the last one counts).</summary>
    public void ResetRequest(JsonValueKind kind)
    {
        RequestKind = kind;
        Uid = Group = Version = KindName = SubResource = Name = Namespace = Operation = default;
        RequestKindKind = JsonValueKind.Undefined;
        Object = null;
    }
}
