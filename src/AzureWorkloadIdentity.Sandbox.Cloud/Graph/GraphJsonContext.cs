using System.Text.Json.Serialization;

namespace AzureWorkloadIdentity.Sandbox.Graph;

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ApplicationCreateRequest))]
[JsonSerializable(typeof(ServicePrincipalCreateRequest))]
[JsonSerializable(typeof(FederatedCredentialCreateRequest))]
[JsonSerializable(typeof(ApplicationUpdateRequest))]
internal sealed partial class GraphJsonContext : JsonSerializerContext;
