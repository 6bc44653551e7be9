using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// A step objects go through before they are stored on create (the API server's admission chain). A plugin
/// may change <c>value</c> in place, add warnings, or refuse by throwing
/// <see cref="KubernetesApiException"/>.
/// </summary>
public interface IAdmissionPlugin
{
    Task AdmitAsync(AdmissionAttributes attributes, JsonObject value, ICollection<string> warnings, CancellationToken cancellationToken);
}
