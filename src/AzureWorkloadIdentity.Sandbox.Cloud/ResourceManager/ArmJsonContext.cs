using System.Text.Json.Serialization;

namespace AzureWorkloadIdentity.Sandbox.ResourceManager;

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TrackedResourceRequest))]
[JsonSerializable(typeof(IdentityCredentialRequest))]
[JsonSerializable(typeof(VaultRequest))]
[JsonSerializable(typeof(AccessPolicyUpdateRequest))]
[JsonSerializable(typeof(RoleAssignmentRequest))]
internal sealed partial class ArmJsonContext : JsonSerializerContext;
