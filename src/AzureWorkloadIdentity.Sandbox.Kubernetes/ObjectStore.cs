using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The cluster's state: every object of every resource under one lock, one global resourceVersion counter,
/// a bounded history of changes for watches to resume from, and the open watches. Namespaces exist implicitly:
/// the first object created in a namespace creates the namespace and its <c>default</c> service account, as
/// the namespace and service-account controllers of a real cluster would.
/// </summary>
public sealed partial class ObjectStore
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly Lock _gate = new();
    private readonly Dictionary<ResourceKey, Dictionary<ObjectName, StoredObject>> _objects = [];
    private readonly Dictionary<ResourceKey, (long Version, StoredObject[] Items)> _sorted = [];
    private readonly Queue<WatchEvent> _history = new();
    private readonly List<WatchSubscription> _watches = [];
    private readonly int _historyLimit;
    private readonly int _watchBuffer;
    private readonly TimeProvider _time;
    private long _resourceVersion;
    private long _compactedThrough;
    private string? _rootCaPem;
    private readonly HashSet<string> _removedOwners = [];

    public ObjectStore(int historyLimit = 1000, int watchBuffer = 10_000, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(watchBuffer, 1);
        _historyLimit = historyLimit;
        _watchBuffer = watchBuffer;
        _time = time ?? TimeProvider.System;
        foreach (var name in new[] { "default", "kube-system", "kube-public" })
        {
            EnsureNamespace(name);
        }
    }

    /// <summary>
    /// Every change, in order, while the store's lock is held (so a reader of the store never sees a change its
    /// listeners have not seen): the RBAC index keeps itself current with it. Listeners must be quick and not call back.
    /// </summary>
    internal event Action<WatchEvent>? Changed;

    /// <summary>Whether a create in a missing namespace is 404 (as kube-apiserver) rather than creating the namespace.</summary>
    public bool RequireNamespaces { get; init; }

    /// <summary>The newest resourceVersion (of the last change).</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public StoredObject Create(ResourceType type, string? @namespace, JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(value);
        var ns = CheckScope(type, @namespace);
        var metadata = value["metadata"] as JsonObject ?? [];
        value["metadata"] = metadata;
        var name = metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            var generateName = metadata["generateName"]?.GetValue<string>();
            if (string.IsNullOrEmpty(generateName))
            {
                throw KubernetesApiException.Invalid(type, "", "metadata.name: Required value: name or generateName is required");
            }

            name = generateName + RandomNumberGenerator.GetString(NameAlphabet, 5);
            metadata["name"] = name;
        }

        var bodyNamespace = metadata["namespace"]?.GetValue<string>();
        if (type.Namespaced && !string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
        {
            throw KubernetesApiException.BadRequest(
                "the namespace of the provided object does not match the namespace sent on the request");
        }

        lock (_gate)
        {
            if (type.Namespaced)
            {
                ThrowIfTerminating(type, ns, name);
                EnsureNamespace(ns);
            }

            var objects = ObjectsOf(type);
            var key = new ObjectName(ns, name);
            if (objects.ContainsKey(key))
            {
                throw KubernetesApiException.AlreadyExists(type, name);
            }

            if (type == ResourceCatalog.Namespaces)
            {
                // As the namespace registry: a new namespace is Active with the kubernetes finalizer.
                value["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                value["status"] = new JsonObject { ["phase"] = "Active" };
            }

            if (type == ResourceCatalog.Secrets)
            {
                value["type"] ??= "Opaque";
            }

            var stored = Store(type, key, value, previous: null);
            if (type == ResourceCatalog.Namespaces)
            {
                EnsureDefaultServiceAccount(name);
            }

            return stored;
        }
    }

    public StoredObject Get(ResourceType type, string? @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        var key = new ObjectName(CheckScope(type, @namespace), name);
        lock (_gate)
        {
            return ObjectsOf(type).TryGetValue(key, out var stored) ? stored : throw KubernetesApiException.NotFound(type, name);
        }
    }

    /// <summary>The object if it exists: no exception when it does not (the authenticator asks on every request).</summary>
    public bool TryGet(ResourceType type, string? @namespace, string name, [NotNullWhen(true)] out StoredObject? stored)
    {
        ArgumentNullException.ThrowIfNull(type);
        var key = new ObjectName(type.Namespaced ? @namespace ?? string.Empty : string.Empty, name);
        lock (_gate)
        {
            return ObjectsOf(type).TryGetValue(key, out stored);
        }
    }

    /// <summary>Matching objects sorted by namespace and name, and the resourceVersion the list reflects.</summary>
    public (IReadOnlyList<StoredObject> Items, long ResourceVersion) List(
        ResourceType type, string? @namespace, LabelSelector? labels = null, FieldSelector? fields = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        labels ??= LabelSelector.Everything;
        fields ??= FieldSelector.Everything;
        StoredObject[] sorted;
        long version;
        lock (_gate)
        {
            version = _resourceVersion;
            var key = ResourceKey.Of(type);
            if (_sorted.TryGetValue(key, out var cached) && cached.Version == version)
            {
                sorted = cached.Items;
            }
            else
            {
                // Sorted once per version of the store: the pages of one list (and repeated lists while nothing
                // changes) share it instead of each sorting every object again.
                sorted = [.. ObjectsOf(type).Values];
                Array.Sort(sorted, (a, b) => a.Name.CompareTo(b.Name));
                _sorted[key] = (version, sorted);
            }
        }

        List<StoredObject> items = [.. sorted.Where(o => (@namespace is null || o.Name.Namespace == @namespace) && labels.Matches(o.Labels) && fields.Matches(o))];
        return (items, version);
    }

    /// <summary>Replaces an object; a non-empty <c>metadata.resourceVersion</c> must be the current one (else 409).</summary>
    public StoredObject Update(ResourceType type, string? @namespace, string name, JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(value);
        var key = new ObjectName(CheckScope(type, @namespace), name);
        var bodyName = value["metadata"]?["name"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw KubernetesApiException.BadRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
        }

        lock (_gate)
        {
            var current = ObjectsOf(type).TryGetValue(key, out var found) ? found : throw KubernetesApiException.NotFound(type, name);
            return Replace(current, value);
        }
    }

    /// <summary>Changes an object with <paramref name="patch"/>, which gets a private copy of the current JSON.</summary>
    public StoredObject Patch(ResourceType type, string? @namespace, string name, Func<JsonObject, JsonObject> patch)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(patch);
        var key = new ObjectName(CheckScope(type, @namespace), name);
        lock (_gate)
        {
            var current = ObjectsOf(type).TryGetValue(key, out var found) ? found : throw KubernetesApiException.NotFound(type, name);
            var patched = patch(current.ToJsonObject());
            return Replace(current, patched);
        }
    }

    /// <summary>
    /// Opens a watch. An empty or <c>"0"</c> version starts with an ADDED event per matching object; a newer
    /// version replays the history after it; a version older than the history throws 410 Gone.
    /// </summary>
    public WatchSubscription Watch(ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, string? resourceVersion)
    {
        ArgumentNullException.ThrowIfNull(type);
        var subscription = new WatchSubscription(ResourceKey.Of(type), @namespace, labels, fields, _watchBuffer, Unsubscribe);
        lock (_gate)
        {
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var stored in ObjectsOf(type).Values)
                {
                    if ((@namespace is null || stored.Name.Namespace == @namespace) && subscription.Matches(stored))
                    {
                        subscription.Send(new WatchEvent(WatchEvent.Added, stored, null));
                    }
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw KubernetesApiException.BadRequest($"invalid resource version \"{resourceVersion}\"");
                }

                if (from < _compactedThrough)
                {
                    throw KubernetesApiException.Gone(
                        $"too old resource version: {from} ({_compactedThrough.ToString(CultureInfo.InvariantCulture)})");
                }

                foreach (var change in _history)
                {
                    if (change.Object.ResourceVersion > from)
                    {
                        subscription.Offer(change);
                    }
                }
            }

            _watches.Add(subscription);
        }

        return subscription;
    }

    /// <summary>Ends every open watch (clients reconnect from their last resourceVersion).</summary>
    public void DisconnectWatches()
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.Close();
            }

            _watches.Clear();
        }
    }

    /// <summary>Forgets the whole change history, so a watch resuming from any earlier version gets 410 Gone.</summary>
    public void CompactHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _resourceVersion;
        }
    }

    private StoredObject Replace(StoredObject current, JsonObject value)
    {
        var metadata = value["metadata"] as JsonObject ?? [];
        value["metadata"] = metadata;
        var requested = metadata["resourceVersion"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(requested) &&
            requested != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw KubernetesApiException.Conflict(current.Type, current.Name.Name);
        }

        var old = current.ToJsonObject();
        metadata["name"] = current.Name.Name;
        if (current.Type.Namespaced)
        {
            metadata["namespace"] = current.Name.Namespace;
        }

        metadata["uid"] = current.Uid;
        metadata["creationTimestamp"] = old["metadata"]?["creationTimestamp"]?.DeepClone();
        var generation = old["metadata"]?["generation"]?.GetValue<long>() ?? 1;
        if (!JsonNode.DeepEquals(old["spec"], value["spec"]))
        {
            generation++;
        }

        metadata["generation"] = generation;
        if (current.IsDeleting)
        {
            // The deletion is the server's: an update can neither undo nor move it, only release finalizers.
            metadata["deletionTimestamp"] = old["metadata"]?["deletionTimestamp"]?.DeepClone();
            metadata["deletionGracePeriodSeconds"] = old["metadata"]?["deletionGracePeriodSeconds"]?.DeepClone();
            var stored = Store(current.Type, current.Name, value, current);
            Collect();
            return ObjectsOf(current.Type).TryGetValue(current.Name, out var still) ? still : stored;
        }

        return Store(current.Type, current.Name, value, current);
    }

    private StoredObject Store(ResourceType type, ObjectName key, JsonObject value, StoredObject? previous)
    {
        var version = ++_resourceVersion;
        var metadata = (JsonObject)value["metadata"]!;
        value["apiVersion"] = type.ApiVersion;
        value["kind"] = type.Kind;
        metadata["name"] = key.Name;
        if (type.Namespaced)
        {
            metadata["namespace"] = key.Namespace;
        }
        else
        {
            metadata.Remove("namespace");
        }

        var uid = previous?.Uid ?? Guid.NewGuid().ToString();
        metadata["uid"] = uid;
        metadata["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        if (previous is null)
        {
            metadata["creationTimestamp"] = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            metadata["generation"] = 1;
        }

        Reorder(value);
        var stored = StoredObject.Create(type, key, version, uid, value);
        ObjectsOf(type)[key] = stored;
        Record(new WatchEvent(previous is null ? WatchEvent.Added : WatchEvent.Modified, stored, previous));
        return stored;
    }

    private StoredObject Remove(StoredObject current)
    {
        ObjectsOf(current.Type).Remove(current.Name);
        var json = current.ToJsonObject();
        var version = ++_resourceVersion;
        json["metadata"]!["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        var tombstone = StoredObject.Create(current.Type, current.Name, version, current.Uid, json);
        Record(new WatchEvent(WatchEvent.Deleted, tombstone, current));
        _removedOwners.Add(current.Uid);
        return tombstone;
    }

    private void Record(WatchEvent change)
    {
        _history.Enqueue(change);
        while (_history.Count > _historyLimit)
        {
            _compactedThrough = _history.Dequeue().Object.ResourceVersion;
        }

        Changed?.Invoke(change);
        foreach (var watch in _watches)
        {
            watch.Offer(change);
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

    private Dictionary<ObjectName, StoredObject> ObjectsOf(ResourceType type)
    {
        var key = ResourceKey.Of(type);
        lock (_gate)
        {
            if (!_objects.TryGetValue(key, out var objects))
            {
                objects = [];
                _objects[key] = objects;
            }

            return objects;
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _watches.Remove(subscription);
        }
    }

    private static string CheckScope(ResourceType type, string? @namespace)
    {
        if (type.Namespaced)
        {
            return string.IsNullOrEmpty(@namespace)
                ? throw KubernetesApiException.BadRequest($"{type.QualifiedName} is namespaced: the request needs a namespace")
                : @namespace;
        }

        return string.Empty;
    }

    // Clients and humans read apiVersion, kind, metadata first.
    private static void Reorder(JsonObject value)
    {
        string[] leading = ["apiVersion", "kind", "metadata"];
        var rest = value.Where(p => !leading.Contains(p.Key)).Select(p => p.Key).ToList();
        var nodes = leading.Concat(rest).Select(k => (k, value[k])).ToList();
        value.Clear();
        foreach (var (k, node) in nodes)
        {
            if (node is not null || rest.Contains(k))
            {
                value[k] = node;
            }
        }
    }
}
