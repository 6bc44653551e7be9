using System.Text.Json.Serialization;

namespace AzureWorkloadIdentity.Proxy.Token;

[JsonSerializable(typeof(ImdsTokenResponse))]
[JsonSerializable(typeof(ImdsError))]
internal sealed partial class ProxyJsonContext : JsonSerializerContext;
