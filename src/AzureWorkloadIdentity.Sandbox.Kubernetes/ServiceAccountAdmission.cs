using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The API server's ServiceAccount admission step for pods: an empty <c>spec.serviceAccountName</c> becomes
/// <c>default</c>, a pod naming an account that does not exist is refused, and the account's token is mounted
/// (<see cref="ServiceAccountTokenVolume"/>).
/// </summary>
internal sealed class ServiceAccountAdmission : IAdmissionPlugin
{
    public Task AdmitAsync(AdmissionAttributes attributes, JsonObject value, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        if (attributes.Type != ResourceCatalog.Pods || attributes.Operation != "CREATE")
        {
            return Task.CompletedTask;
        }

        if (value["spec"] is not JsonObject spec)
        {
            throw KubernetesApiException.Invalid(ResourceCatalog.Pods, PodName(value), "spec: Required value");
        }

        var name = spec["serviceAccountName"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            name = "default";
            spec["serviceAccountName"] = name;
        }

        if (!string.IsNullOrEmpty(attributes.Namespace))
        {
            attributes.Store.EnsureNamespaceExists(attributes.Namespace);
        }

        try
        {
            var account = attributes.Store.Get(ResourceCatalog.ServiceAccounts, attributes.Namespace, name);
            ServiceAccountTokenVolume.Add(spec, account.ToJsonObject());
        }
        catch (KubernetesApiException ex) when (ex.Code == 404)
        {
            throw new KubernetesApiException(403, "Forbidden",
                $"pods \"{PodName(value)}\" is forbidden: error looking up service account {attributes.Namespace}/{name}: serviceaccount \"{name}\" not found",
                ResourceCatalog.Pods, PodName(value));
        }

        return Task.CompletedTask;
    }

    private static string PodName(JsonObject value) =>
        value["metadata"]?["name"]?.GetValue<string>() ?? value["metadata"]?["generateName"]?.GetValue<string>() ?? string.Empty;
}
