namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Protobuf;

/// <summary>How a field is encoded on the wire and how it reads as JSON.</summary>
internal enum ProtoShape
{
    Text,
    Binary,
    Integer,
    Flag,
    Message,

    /// <summary>meta/v1 Time (seconds 1, nanos 2): an RFC 3339 string, or nothing when empty.</summary>
    Time,

    /// <summary><c>map&lt;string,string&gt;</c>: repeated entries with key 1 and value 2.</summary>
    StringMap,

    /// <summary><c>map&lt;string,bytes&gt;</c>: values become base64 strings, as in JSON.</summary>
    BytesMap,
}
