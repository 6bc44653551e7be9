using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Primitives;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// What every cluster has besides the API server itself, as kube-apiserver and its controllers make it: the
/// <c>kubernetes</c> Service in <c>default</c> (ClusterIP <see cref="KubernetesServiceIp"/>, port 443, the first
/// address of the service CIDR) with its Endpoints, and the <c>kube-root-ca.crt</c> ConfigMap in every namespace
/// (the root CA publisher), which service-account volumes project as <c>ca.crt</c>.
/// </summary>
public static class ClusterServices
{
    /// <summary>The service CIDR (kubeadm's default).</summary>
    public const string ServiceCidr = "10.96.0.0/12";

    /// <summary>The ClusterIP of the <c>kubernetes</c> Service; the API server's certificate names it.</summary>
    public static IPAddress KubernetesServiceIp => ClusterAddresses.KubernetesServiceIp;

    public const int KubernetesServicePort = 443;

    public const string RootCaConfigMap = "kube-root-ca.crt";

    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);
    public static readonly ResourceType Services = new("", "v1", "services", "Service", true);
    public static readonly ResourceType Endpoints = new("", "v1", "endpoints", "Endpoints", true);
    public static readonly ResourceType EndpointSlices = new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true);

    /// <summary>The <c>kube-root-ca.crt</c> ConfigMap's content.</summary>
    public static JsonObject RootCa(string caPem) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = RootCaConfigMap,
            ["annotations"] = new JsonObject { ["kubernetes.io/description"] = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters." },
        },
        ["data"] = new JsonObject { ["ca.crt"] = caPem },
    };

    /// <summary>Creates the <c>kubernetes</c> Service and its Endpoints (the API server on <paramref name="apiServerPort"/> of loopback).</summary>
    public static void CreateKubernetesService(ObjectStore store, int apiServerPort)
    {
        ArgumentNullException.ThrowIfNull(store);
        var port = apiServerPort.ToString(CultureInfo.InvariantCulture);
        store.Create(Services, "default", JsonNode.Parse($$$"""
            {"metadata":{"name":"kubernetes","labels":{"component":"apiserver","provider":"kubernetes"}},
             "spec":{"type":"ClusterIP","clusterIP":"{{{KubernetesServiceIp}}}","clusterIPs":["{{{KubernetesServiceIp}}}"],"sessionAffinity":"None",
                     "ports":[{"name":"https","port":{{{KubernetesServicePort}}},"protocol":"TCP","targetPort":{{{port}}}}]}}
            """)!.AsObject());
        store.Create(Endpoints, "default", JsonNode.Parse($$$"""
            {"metadata":{"name":"kubernetes","labels":{"endpointslice.kubernetes.io/skip-mirror":"true"}},
             "subsets":[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"name":"https","port":{{{port}}},"protocol":"TCP"}]}]}
            """)!.AsObject());
    }
}
