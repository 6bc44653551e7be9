using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// What a real cluster's namespace, service-account and root-CA-publisher controllers keep true of every namespace,
/// done by the store in the same change as the namespace itself: the namespace exists (created implicitly by the first
/// object in it unless <see cref="RequireNamespaces"/>), it has its <c>default</c> service account and, once
/// <see cref="PublishRootCa"/> was called, its <c>kube-root-ca.crt</c> ConfigMap.
/// </summary>
public sealed partial class ObjectStore
{
    // As the namespace and secret registries default a new object.
    private static void ApplyCreateDefaults(ResourceType type, JsonObject value)
    {
        if (type == ResourceCatalog.Namespaces)
        {
            value["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            value["status"] = new JsonObject { ["phase"] = "Active" };
        }

        if (type == ResourceCatalog.Secrets)
        {
            value["type"] ??= "Opaque";
        }
    }

    /// <summary>
    /// From now on every namespace, existing or new, has the <c>kube-root-ca.crt</c> ConfigMap with
    /// <paramref name="caPem"/>, as the root CA publisher controller keeps it.
    /// </summary>
    public void PublishRootCa(string caPem)
    {
        ArgumentException.ThrowIfNullOrEmpty(caPem);
        lock (_gate)
        {
            _rootCaPem = caPem;
            foreach (var name in ObjectsOf(ResourceCatalog.Namespaces).Keys.ToList())
            {
                EnsureRootCa(name.Name);
            }
        }
    }

    private void EnsureRootCa(string @namespace)
    {
        var key = new ObjectName(@namespace, ClusterServices.RootCaConfigMap);
        if (_rootCaPem is { } pem && !ObjectsOf(ClusterServices.ConfigMaps).ContainsKey(key))
        {
            Store(ClusterServices.ConfigMaps, key, ClusterServices.RootCa(pem), previous: null);
        }
    }

    /// <summary>Creates a namespace (and its <c>default</c> service account) unless it exists.</summary>
    public void EnsureNamespaceExists(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            EnsureNamespace(name);
        }
    }

    private void EnsureNamespace(string name)
    {
        var namespaces = ObjectsOf(ResourceCatalog.Namespaces);
        if (namespaces.ContainsKey(new ObjectName("", name)))
        {
            return;
        }

        if (RequireNamespaces)
        {
            throw new KubernetesApiException(404, "NotFound",
                $"namespaces \"{name}\" not found: create it first (kubectl create namespace {name})", ResourceCatalog.Namespaces, name);
        }

        var value = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name },
            },
            ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
            ["status"] = new JsonObject { ["phase"] = "Active" },
        };
        Store(ResourceCatalog.Namespaces, new ObjectName("", name), value, previous: null);
        EnsureDefaultServiceAccount(name);
    }

    private void EnsureDefaultServiceAccount(string @namespace)
    {
        EnsureRootCa(@namespace);
        var key = new ObjectName(@namespace, "default");
        if (!ObjectsOf(ResourceCatalog.ServiceAccounts).ContainsKey(key))
        {
            Store(ResourceCatalog.ServiceAccounts, key, new JsonObject { ["metadata"] = new JsonObject() }, previous: null);
        }
    }
}
