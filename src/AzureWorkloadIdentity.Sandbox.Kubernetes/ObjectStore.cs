using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The cluster's state: every object of every resource under one lock and one global resourceVersion counter. Every
/// change goes to the <see cref="WatchHub"/> (history and open watches) in order; deletion, finalizers and garbage
/// collection are in <c>ObjectStore.Deletion.cs</c>, the namespace defaults in <c>ObjectStore.Namespaces.cs</c>.
/// </summary>
public sealed partial class ObjectStore
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>How many names a create with <c>generateName</c> tries before it answers 409 (kube-apiserver: 8).</summary>
    private const int GenerateNameAttempts = 8;

    private readonly Lock _gate = new();
    private readonly Dictionary<ResourceKey, Dictionary<ObjectName, StoredObject>> _objects = [];
    // Per type, its objects sorted by namespace and name: built by the first list after an object of that type was
    // added or removed, updated in place when one is replaced, so writes of other types (pods in a burst, leases)
    // and updates (a watch storm) leave a 100,000-account list's order standing.
    private readonly Dictionary<ResourceKey, StoredObject[]> _sorted = [];
    private readonly WatchHub _watches;
    private readonly TimeProvider _time;
    private long _resourceVersion;
    private string? _rootCaPem;
    private readonly HashSet<string> _removedOwners = [];

    public ObjectStore(int historyLimit = 1000, int watchBuffer = 10_000, TimeProvider? time = null)
    {
        _watches = new WatchHub(historyLimit, watchBuffer);
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
        string? generateName = null;
        if (string.IsNullOrEmpty(name))
        {
            generateName = metadata["generateName"]?.GetValue<string>();
            if (string.IsNullOrEmpty(generateName))
            {
                throw KubernetesApiException.Invalid(type, "", "metadata.name: Required value: name or generateName is required");
            }

            name = GenerateName(metadata, generateName);
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
            for (var attempt = 1; generateName is not null && objects.ContainsKey(key) && attempt < GenerateNameAttempts; attempt++)
            {
                // A generated name that is taken is generated again, as kube-apiserver does since 1.32
                // (RetryGenerateName); five random characters collide within a few thousand objects of one prefix.
                key = new ObjectName(ns, GenerateName(metadata, generateName));
            }

            if (objects.ContainsKey(key))
            {
                throw KubernetesApiException.AlreadyExists(type, key.Name);
            }

            ApplyCreateDefaults(type, value);
            var stored = Store(type, key, value, previous: null);
            if (type == ResourceCatalog.Namespaces)
            {
                EnsureDefaultServiceAccount(key.Name);
            }

            return stored;
        }
    }

    /// <summary>The random part of generated names (tests replace it to make names collide).</summary>
    internal Func<string> GeneratedNameSuffix { get; init; } = () => RandomNumberGenerator.GetString(NameAlphabet, 5);

    /// <summary>A name from <paramref name="generateName"/> and five random characters, as kube-apiserver makes them; set in the object.</summary>
    private string GenerateName(JsonObject metadata, string generateName)
    {
        var name = generateName + GeneratedNameSuffix();
        metadata["name"] = name;
        return name;
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
    /// <remarks>
    /// With <paramref name="after"/> only objects named after it, and at most <paramref name="limit"/> of them: a page
    /// costs a binary search and the page itself, not a pass over every object of the type (<see cref="ListPage"/>).
    /// A namespace's objects are found the same way.
    /// </remarks>
    public (IReadOnlyList<StoredObject> Items, long ResourceVersion) List(
        ResourceType type, string? @namespace, LabelSelector? labels = null, FieldSelector? fields = null, ObjectName? after = null, int limit = int.MaxValue)
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
            if (!_sorted.TryGetValue(key, out sorted!))
            {
                sorted = [.. ObjectsOf(type).Values];
                Array.Sort(sorted, (a, b) => a.Name.CompareTo(b.Name));
                _sorted[key] = sorted;
            }
        }

        var from = after ?? (@namespace is null ? null : new ObjectName(@namespace, string.Empty));
        var items = new List<StoredObject>(Math.Min(limit, 1024));
        for (var i = from is { } start ? FirstAfter(sorted, start) : 0; i < sorted.Length && items.Count < limit; i++)
        {
            var item = sorted[i];
            if (@namespace is not null && item.Name.Namespace != @namespace)
            {
                break;
            }

            if (labels.Matches(item.Labels) && fields.Matches(item))
            {
                items.Add(item);
            }
        }

        return (items, version);
    }

    /// <summary>The index of the first object named after <paramref name="after"/> in <paramref name="sorted"/>.</summary>
    private static int FirstAfter(StoredObject[] sorted, ObjectName after)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (sorted[middle].Name.CompareTo(after) > 0)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    // Keeps the sorted copy of the type current: a replaced object takes its predecessor's place; an added or removed
    // one drops the copy (rebuilt by the next list).
    private void Sorted(ResourceType type, StoredObject? previous, StoredObject? replacement)
    {
        var key = ResourceKey.Of(type);
        if (previous is null || replacement is null || !_sorted.TryGetValue(key, out var sorted))
        {
            _sorted.Remove(key);
            return;
        }

        var index = FirstAfter(sorted, previous.Name) - 1;
        if (index >= 0 && sorted[index].Name == previous.Name)
        {
            sorted[index] = replacement;
        }
        else
        {
            _sorted.Remove(key);
        }
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
        lock (_gate)
        {
            return _watches.Open(type, @namespace, labels, fields, resourceVersion, ObjectsOf(type).Values);
        }
    }

    /// <summary>Ends every open watch (clients reconnect from their last resourceVersion).</summary>
    public void DisconnectWatches() => _watches.DisconnectAll();

    /// <summary>Forgets the whole change history, so a watch resuming from any earlier version gets 410 Gone.</summary>
    public void CompactHistory()
    {
        lock (_gate)
        {
            _watches.Compact(_resourceVersion);
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
        Sorted(type, previous, stored);
        Record(new WatchEvent(previous is null ? WatchEvent.Added : WatchEvent.Modified, stored, previous));
        return stored;
    }

    private StoredObject Remove(StoredObject current)
    {
        ObjectsOf(current.Type).Remove(current.Name);
        Sorted(current.Type, current, null);
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
        Changed?.Invoke(change);
        _watches.Record(change);
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
