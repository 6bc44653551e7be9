using AzureWorkloadIdentity.Core;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.PodIdentity;

/// <summary>
/// Turns a workload that used aad-pod-identity into its workload-identity form: a service account carrying the
/// identity's client id and the proxy containers that keep IMDS-based code working unchanged.
/// </summary>
internal static class MigrationManifests
{
    public static V1ServiceAccount NewServiceAccount(string name, string @namespace) =>
        new()
        {
            ApiVersion = "v1",
            Kind = "ServiceAccount",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
        };

    /// <summary>Adds the use label and the client-id, token-expiration and (if given) tenant-id annotations.</summary>
    public static V1ServiceAccount Amend(V1ServiceAccount account, string clientId, TimeSpan tokenExpiration, string? tenantId)
    {
        ArgumentNullException.ThrowIfNull(account);
        var metadata = account.Metadata ??= new V1ObjectMeta();
        metadata.Labels ??= new Dictionary<string, string>();
        metadata.Labels[WorkloadIdentityLabels.Use] = WorkloadIdentityLabels.UseValue;
        metadata.Annotations ??= new Dictionary<string, string>();
        metadata.Annotations[WorkloadIdentityAnnotations.ClientId] = clientId;
        metadata.Annotations[WorkloadIdentityAnnotations.ServiceAccountTokenExpiration] =
            ((long)tokenExpiration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(tenantId))
        {
            metadata.Annotations[WorkloadIdentityAnnotations.TenantId] = tenantId;
        }

        ClearServerFields(metadata);
        account.ApiVersion ??= "v1";
        account.Kind ??= "ServiceAccount";
        return account;
    }

    /// <summary>
    /// Points the pod spec at the service account and appends the proxy init container and sidecar unless a
    /// container of that name or image already exists; clears the fields the API server owns.
    /// </summary>
    public static void AmendWorkload(IKubernetesObject<V1ObjectMeta> workload, string serviceAccountName, int proxyPort, string imageTag)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var spec = OwnerResolver.PodSpec(workload);
        spec.ServiceAccountName = serviceAccountName;
        var port = proxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var proxyInitImage = $"{WorkloadIdentityDefaults.ImageRegistry}/{WorkloadIdentityDefaults.ProxyInitImageName}";
        var proxyImage = $"{WorkloadIdentityDefaults.ImageRegistry}/{WorkloadIdentityDefaults.ProxyImageName}";

        spec.InitContainers ??= [];
        if (!spec.InitContainers.Any(c => c.Name == WorkloadIdentityDefaults.ProxyInitContainerName || (c.Image?.StartsWith(proxyInitImage, StringComparison.Ordinal) ?? false)))
        {
            spec.InitContainers.Add(new V1Container
            {
                Name = WorkloadIdentityDefaults.ProxyInitContainerName,
                Image = $"{proxyInitImage}:{imageTag}",
                ImagePullPolicy = "IfNotPresent",
                SecurityContext = new V1SecurityContext
                {
                    Capabilities = new V1Capabilities { Add = ["NET_ADMIN"], Drop = ["ALL"] },
                    Privileged = true,
                    RunAsUser = 0,
                },
                Env = [new V1EnvVar { Name = WorkloadIdentityEnvironment.ProxyPort, Value = port }],
            });
        }

        spec.Containers ??= [];
        if (!spec.Containers.Any(c => c.Name == WorkloadIdentityDefaults.ProxyContainerName || (c.Image?.StartsWith(proxyImage, StringComparison.Ordinal) ?? false)))
        {
            spec.Containers.Add(new V1Container
            {
                Name = WorkloadIdentityDefaults.ProxyContainerName,
                Image = $"{proxyImage}:{imageTag}",
                ImagePullPolicy = "IfNotPresent",
                Args = [$"--proxy-port={port}"],
                Ports = [new V1ContainerPort { ContainerPort = proxyPort }],
                Lifecycle = new V1Lifecycle
                {
                    PostStart = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["/proxy", $"--proxy-port={port}", "--probe"] } },
                },
            });
        }

        ClearServerFields(workload.Metadata);
        switch (workload)
        {
            case V1Pod pod: pod.Status = null; break;
            case V1Deployment d: d.Status = null; break;
            case V1StatefulSet s: s.Status = null; break;
            case V1DaemonSet d: d.Status = null; break;
            case V1ReplicaSet r: r.Status = null; break;
            case V1Job j: j.Status = null; break;
            case V1CronJob c: c.Status = null; break;
            case V1ReplicationController r: r.Status = null; break;
        }
    }

    private static void ClearServerFields(V1ObjectMeta metadata)
    {
        metadata.ManagedFields = null;
        metadata.ResourceVersion = null;
        metadata.Uid = null;
        metadata.CreationTimestamp = null;
        metadata.SelfLink = null;
        metadata.Generation = null;
    }
}
