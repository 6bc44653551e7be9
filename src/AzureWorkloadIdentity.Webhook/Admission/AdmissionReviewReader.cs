using System.Text.Json;
using AzureWorkloadIdentity.Webhook.Mutation.Wire;

namespace AzureWorkloadIdentity.Webhook.Admission;

/// <summary>
/// The one forward pass over a request body: a <see cref="Utf8JsonReader"/> from the first token to the last, keeping
/// the review's members and what <typeparamref name="TObject"/> reads of <c>request.object</c>. The whole body is
/// read, so invalid JSON anywhere fails as it would in a parsed document; nothing else is copied or built.
/// </summary>
/// <remarks>
/// Building a <see cref="JsonDocument"/> of the whole 5 KB review to read a few members was the largest cost of an
/// admission (docs/performance.md).
/// </remarks>
internal static class AdmissionReviewReader<TObject>
    where TObject : class, IAdmissionObject<TObject>
{
    // The values these members hold in nearly every review, kept as one instance each.
    private static readonly KnownStrings ApiVersions = new(AdmissionApiVersions.V1, AdmissionApiVersions.V1Beta1);
    private static readonly KnownStrings ReviewKinds = new("AdmissionReview");
    private static readonly KnownStrings Operations = new("CREATE", "UPDATE", "DELETE", "CONNECT");
    private static readonly KnownStrings Groups = new("", "apps", "batch");
    private static readonly KnownStrings Versions = new("v1");
    private static readonly KnownStrings Kinds = new("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob");

    /// <exception cref="JsonException">The body is not JSON.</exception>
    public static AdmissionReviewFields<TObject> Read(ReadOnlySpan<byte> body)
    {
        var fields = new AdmissionReviewFields<TObject>();
        var reader = new Utf8JsonReader(body);
        reader.Read();
        fields.RootKind = JsonRead.KindOf(reader.TokenType);
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            ReadRoot(ref reader, ref fields);
        }
        else
        {
            reader.Skip();
        }

        // Anything after the review is invalid JSON; the reader says so here.
        while (reader.Read())
        {
        }

        return fields;
    }

    private static void ReadRoot(ref Utf8JsonReader reader, ref AdmissionReviewFields<TObject> fields)
    {
        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("apiVersion"u8))
            {
                fields.ApiVersion = JsonRead.Field(ref reader, ApiVersions);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                fields.Kind = JsonRead.Field(ref reader, ReviewKinds);
            }
            else if (reader.ValueTextEquals("request"u8))
            {
                reader.Read();
                fields.ResetRequest(JsonRead.KindOf(reader.TokenType));
                ReadRequest(ref reader, ref fields);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }

    private static void ReadRequest(ref Utf8JsonReader reader, ref AdmissionReviewFields<TObject> fields)
    {
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return;
        }

        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("uid"u8))
            {
                fields.Uid = JsonRead.Field(ref reader);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                ReadKind(ref reader, ref fields);
            }
            else if (reader.ValueTextEquals("subResource"u8))
            {
                fields.SubResource = JsonRead.Field(ref reader);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                fields.Name = JsonRead.Field(ref reader);
            }
            else if (reader.ValueTextEquals("namespace"u8))
            {
                fields.Namespace = JsonRead.Field(ref reader);
            }
            else if (reader.ValueTextEquals("operation"u8))
            {
                fields.Operation = JsonRead.Field(ref reader, Operations);
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    fields.Object = null;
                }
                else
                {
                    fields.Object = TObject.Read(ref reader);
                }
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }

    private static void ReadKind(ref Utf8JsonReader reader, ref AdmissionReviewFields<TObject> fields)
    {
        fields.RequestKindKind = JsonRead.KindOf(reader.TokenType);
        fields.Group = fields.Version = fields.KindName = default;
        if (!JsonRead.Enter(ref reader, JsonTokenType.StartObject))
        {
            return;
        }

        while (JsonRead.NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("group"u8))
            {
                fields.Group = JsonRead.Field(ref reader, Groups);
            }
            else if (reader.ValueTextEquals("version"u8))
            {
                fields.Version = JsonRead.Field(ref reader, Versions);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                fields.KindName = JsonRead.Field(ref reader, Kinds);
            }
            else
            {
                JsonRead.SkipValue(ref reader);
            }
        }
    }
}
