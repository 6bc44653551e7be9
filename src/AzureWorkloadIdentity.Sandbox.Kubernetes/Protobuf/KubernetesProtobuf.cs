using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Protobuf;

/// <summary>
/// Reads a request body in Kubernetes' protobuf encoding (<c>application/vnd.kubernetes.protobuf</c>): the
/// <c>k8s\0</c> magic, then a runtime.Unknown envelope (TypeMeta 1, raw 2) whose raw bytes are the object.
/// Only the kinds of <see cref="ProtoSchemas"/> are understood; anything else is refused with 415 so the
/// client knows to send JSON, never silently misread.
/// </summary>
internal static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    private static readonly ProtoMessage Envelope = new("Unknown", new Dictionary<int, ProtoField>
    {
        [1] = new("typeMeta", ProtoShape.Message, new ProtoMessage("TypeMeta", new Dictionary<int, ProtoField>
        {
            [1] = new("apiVersion", ProtoShape.Text),
            [2] = new("kind", ProtoShape.Text),
        })),
        [2] = new("raw", ProtoShape.Binary),
        [3] = new("contentEncoding", ProtoShape.Text),
        [4] = new("contentType", ProtoShape.Text),
    });

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw KubernetesApiException.BadRequest("the protobuf body does not start with the Kubernetes magic number 'k8s\\0'");
        }

        try
        {
            var envelope = Read(body[Magic.Length..].ToArray(), Envelope);
            var apiVersion = envelope["typeMeta"]?["apiVersion"]?.GetValue<string>() ?? string.Empty;
            var kind = envelope["typeMeta"]?["kind"]?.GetValue<string>() ?? string.Empty;
            if (envelope["contentEncoding"] is not null)
            {
                throw Unsupported($"protobuf bodies with contentEncoding '{envelope["contentEncoding"]}' are not supported");
            }

            if (!ProtoSchemas.Kinds.TryGetValue(apiVersion + "/" + kind, out var schema))
            {
                throw Unsupported($"this sandbox reads protobuf bodies only for {string.Join(", ", ProtoSchemas.Kinds.Keys)}; got {apiVersion}/{kind}");
            }

            var raw = envelope["raw"]?.GetValue<string>() is { } base64 ? Convert.FromBase64String(base64) : [];
            var value = Read(raw, schema);
            value.Insert(0, "apiVersion", apiVersion);
            value.Insert(1, "kind", kind);
            return value;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw KubernetesApiException.BadRequest("the protobuf body is malformed: " + ex.Message);
        }
    }

    private static JsonObject Read(byte[] bytes, ProtoMessage message)
    {
        var result = new JsonObject();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            if (!message.Fields.TryGetValue(number, out var field))
            {
                // Go's generated marshallers write empty nested structs (status, zero times): harmless to skip.
                if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited && input.ReadBytes().IsEmpty)
                {
                    continue;
                }

                throw Unsupported($"field {number} of {message.Name} in the protobuf body is not understood by this sandbox");
            }

            var value = ReadValue(input, field);
            if (value is null)
            {
                continue;
            }

            if (field.Repeated)
            {
                if (result[field.Name] is not JsonArray list)
                {
                    list = [];
                    result[field.Name] = list;
                }

                list.Add(value);
            }
            else if (field.Shape is ProtoShape.StringMap or ProtoShape.BytesMap)
            {
                var map = result[field.Name] as JsonObject ?? [];
                result[field.Name] = map;
                var entry = value.AsArray();
                map[entry[0]!.GetValue<string>()] = entry[1]?.DeepClone();
            }
            else
            {
                result[field.Name] = value;
            }
        }

        return result;
    }

    private static JsonNode? ReadValue(CodedInputStream input, ProtoField field) => field.Shape switch
    {
        ProtoShape.Text => input.ReadString() is { Length: > 0 } text ? JsonValue.Create(text) : null,
        ProtoShape.Binary => JsonValue.Create(input.ReadBytes().ToBase64()),
        ProtoShape.Integer => JsonValue.Create(input.ReadInt64()),
        ProtoShape.Flag => JsonValue.Create(input.ReadBool()),
        ProtoShape.Message => Read(input.ReadBytes().ToByteArray(), field.Message!),
        ProtoShape.Time => ReadTime(input.ReadBytes().ToByteArray()),
        ProtoShape.StringMap or ProtoShape.BytesMap => ReadMapEntry(input.ReadBytes().ToByteArray(), field.Shape == ProtoShape.BytesMap),
        _ => throw new InvalidOperationException("unknown protobuf shape " + field.Shape),
    };

    // A map entry as a two-element array [key, value]; the caller adds it to the field's object.
    private static JsonArray ReadMapEntry(byte[] bytes, bool binary)
    {
        var entry = Read(bytes, new ProtoMessage("MapEntry", new Dictionary<int, ProtoField>
        {
            [1] = new("key", ProtoShape.Text),
            [2] = new("value", binary ? ProtoShape.Binary : ProtoShape.Text),
        }));
        return [entry["key"]?.GetValue<string>() ?? string.Empty, entry["value"]?.DeepClone() ?? JsonValue.Create(string.Empty)];
    }

    private static JsonValue? ReadTime(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        long seconds = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                seconds = input.ReadInt64();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return bytes.Length == 0
            ? null
            : JsonValue.Create(DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    private static KubernetesApiException Unsupported(string detail) =>
        new(415, "UnsupportedMediaType", detail + " - send the object as application/json (kubectl create -f / kubectl apply -f do)");
}
