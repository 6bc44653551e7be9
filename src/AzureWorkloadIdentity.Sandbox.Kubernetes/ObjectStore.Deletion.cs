using System.Globalization;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// Deletion as kube-apiserver and the garbage collector do it: an object with finalizers, a pod bound to a node
/// (grace period) and a namespace are only marked (<c>deletionTimestamp</c>, <c>deletionGracePeriodSeconds</c>)
/// and go once nothing holds them; <c>propagationPolicy</c> Background deletes dependents (by owner reference)
/// after their owner, Foreground before it (the <c>foregroundDeletion</c> finalizer), Orphan keeps them and drops
/// their reference (the <c>orphan</c> finalizer); a terminating namespace deletes its content, then itself.
/// </summary>
public sealed partial class ObjectStore
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";
    public const string NamespaceFinalizer = "kubernetes";

    /// <summary>Deletes (or marks for deletion) one object; returns it as it is afterwards (removed: its last version).</summary>
    public StoredObject Delete(ResourceType type, string? @namespace, string name, DeleteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        var key = new ObjectName(CheckScope(type, @namespace), name);
        lock (_gate)
        {
            var current = ObjectsOf(type).TryGetValue(key, out var found) ? found : throw KubernetesApiException.NotFound(type, name);
            return DeleteAndCollect(current, options ?? DeleteOptions.Default);
        }
    }

    /// <summary><c>deletecollection</c>: deletes every matching object with the same options; returns them as they are afterwards.</summary>
    public IReadOnlyList<StoredObject> DeleteCollection(
        ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, DeleteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (_gate)
        {
            var (items, _) = List(type, @namespace, labels, fields);
            return [.. items.Select(item => DeleteAndCollect(item, options ?? DeleteOptions.Default))];
        }
    }

    private StoredObject DeleteAndCollect(StoredObject current, DeleteOptions options)
    {
        CheckPreconditions(current, options);
        if (options.DryRun)
        {
            return current;
        }

        var result = DeleteOne(current, options);
        Collect();
        return ObjectsOf(current.Type).TryGetValue(current.Name, out var still) ? still : result;
    }

    private StoredObject DeleteOne(StoredObject current, DeleteOptions options)
    {
        var json = current.ToJsonObject();
        var metadata = (JsonObject)json["metadata"]!;
        var grace = GracePeriod(current.Type, json, options);
        var finalizers = current.Finalizers.ToList();
        if (current.IsDeleting)
        {
            // Deleting again only shortens a pod's grace period (kubectl delete --force sends 0).
            var pending = metadata["deletionGracePeriodSeconds"]?.GetValue<long>() ?? 0;
            if (current.Type != ResourceCatalog.Pods || grace >= pending)
            {
                return current;
            }

            if (grace == 0 && finalizers.Count == 0)
            {
                return Remove(current);
            }

            MarkDeleted(metadata, grace);
            return Store(current.Type, current.Name, json, current);
        }

        var policy = options.PropagationPolicy ?? DeleteOptions.Background;
        var added = policy switch
        {
            DeleteOptions.Foreground => ForegroundFinalizer,
            DeleteOptions.Orphan => OrphanFinalizer,
            _ => null,
        };
        if (added is not null && !finalizers.Contains(added))
        {
            finalizers.Add(added);
        }

        if (finalizers.Count == 0 && grace == 0 && current.Type != ResourceCatalog.Namespaces)
        {
            return Remove(current);
        }

        if (finalizers.Count > 0)
        {
            metadata["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]);
        }

        MarkDeleted(metadata, grace);
        if (current.Type == ResourceCatalog.Namespaces)
        {
            json["status"] = new JsonObject { ["phase"] = "Terminating" };
        }

        return Store(current.Type, current.Name, json, current);
    }

    /// <summary>
    /// The garbage collector and namespace controller, run after each deletion: dependents of removed owners go
    /// (Background), owners being deleted in the foreground wait for theirs, orphaning owners release theirs,
    /// terminating namespaces empty themselves, and marked objects that nothing holds any more are removed.
    /// </summary>
    private void Collect()
    {
        bool changed;
        do
        {
            changed = false;
            var all = _objects.Values.SelectMany(objects => objects.Values).ToList();
            foreach (var item in all)
            {
                if (!ObjectsOf(item.Type).TryGetValue(item.Name, out var latest) || latest.ResourceVersion != item.ResourceVersion)
                {
                    continue;
                }

                changed |= CollectOne(latest, all);
            }
        }
        while (changed);

        _removedOwners.Clear();
    }

    private bool CollectOne(StoredObject item, List<StoredObject> all)
    {
        if (!item.IsDeleting)
        {
            if (item.OwnerUids.Count > 0 && item.OwnerUids.All(_removedOwners.Contains))
            {
                DeleteOne(item, DeleteOptions.Default);
                return true;
            }

            return false;
        }

        var dependents = all.Where(o => o.OwnerUids.Contains(item.Uid) && Exists(o)).ToList();
        if (item.Finalizers.Contains(OrphanFinalizer))
        {
            foreach (var dependent in dependents)
            {
                var json = dependent.ToJsonObject();
                var owners = (JsonArray)json["metadata"]!["ownerReferences"]!;
                foreach (var reference in owners.Where(o => o?["uid"]?.GetValue<string>() == item.Uid).ToList())
                {
                    owners.Remove(reference);
                }

                Store(dependent.Type, dependent.Name, json, dependent);
            }

            return ReleaseFinalizer(item, OrphanFinalizer);
        }

        if (item.Finalizers.Contains(ForegroundFinalizer))
        {
            foreach (var dependent in dependents.Where(d => !d.IsDeleting))
            {
                DeleteOne(dependent, new DeleteOptions(PropagationPolicy: DeleteOptions.Foreground));
            }

            return dependents.Count == 0 ? ReleaseFinalizer(item, ForegroundFinalizer) : dependents.Any(d => !d.IsDeleting);
        }

        if (item.Type == ResourceCatalog.Namespaces)
        {
            return CollectNamespace(item, all);
        }

        var json2 = item.ToJsonObject();
        var pendingGrace = json2["metadata"]?["deletionGracePeriodSeconds"]?.GetValue<long>() ?? 0;
        if (item.Finalizers.Count == 0 && (item.Type != ResourceCatalog.Pods || pendingGrace == 0))
        {
            Remove(item);
            return true;
        }

        return false;
    }

    private bool CollectNamespace(StoredObject ns, List<StoredObject> all)
    {
        var content = all.Where(o => o.Type.Namespaced && o.Name.Namespace == ns.Name.Name && Exists(o)).ToList();
        var changed = false;
        foreach (var item in content.Where(o => !o.IsDeleting))
        {
            DeleteOne(item, DeleteOptions.Default);
            changed = true;
        }

        if (content.Count > 0)
        {
            return changed;
        }

        var json = ns.ToJsonObject();
        if (json["spec"]?["finalizers"] is JsonArray { Count: > 0 } specFinalizers)
        {
            // The namespace controller's own finalizer, released once the namespace is empty.
            specFinalizers.Clear();
            Store(ns.Type, ns.Name, json, ns);
            return true;
        }

        if (ns.Finalizers.Count == 0)
        {
            Remove(ns);
            return true;
        }

        return false;
    }

    private bool ReleaseFinalizer(StoredObject item, string finalizer)
    {
        var json = item.ToJsonObject();
        var finalizers = (JsonArray)json["metadata"]!["finalizers"]!;
        foreach (var node in finalizers.Where(f => f?.GetValue<string>() == finalizer).ToList())
        {
            finalizers.Remove(node);
        }

        if (finalizers.Count == 0)
        {
            ((JsonObject)json["metadata"]!).Remove("finalizers");
        }

        Store(item.Type, item.Name, json, item);
        return true;
    }

    private bool Exists(StoredObject item) => ObjectsOf(item.Type).ContainsKey(item.Name);

    /// <summary>
    /// Only pods are deleted gracefully, and only while a kubelet may be running them: one bound to a node
    /// (<c>spec.nodeName</c>) that has not ended. Their period is the request's, else the pod's
    /// <c>terminationGracePeriodSeconds</c>, else 30 s.
    /// </summary>
    private static long GracePeriod(ResourceType type, JsonObject json, DeleteOptions options)
    {
        if (type != ResourceCatalog.Pods)
        {
            return 0;
        }

        var phase = json["status"]?["phase"]?.GetValue<string>();
        if (string.IsNullOrEmpty(json["spec"]?["nodeName"]?.GetValue<string>()) || phase is "Succeeded" or "Failed")
        {
            return 0;
        }

        return Math.Max(0, options.GracePeriodSeconds ?? json["spec"]?["terminationGracePeriodSeconds"]?.GetValue<long>() ?? 30);
    }

    private void MarkDeleted(JsonObject metadata, long grace)
    {
        metadata["deletionTimestamp"] = _time.GetUtcNow().AddSeconds(grace).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        metadata["deletionGracePeriodSeconds"] = grace;
    }

    private static void CheckPreconditions(StoredObject current, DeleteOptions options)
    {
        if (options.PreconditionUid is { Length: > 0 } uid && uid != current.Uid)
        {
            throw new KubernetesApiException(409, "Conflict",
                $"Operation cannot be fulfilled on {current.Type.QualifiedName} \"{current.Name.Name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}",
                current.Type, current.Name.Name);
        }

        if (options.PreconditionResourceVersion is { Length: > 0 } version
            && version != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new KubernetesApiException(409, "Conflict",
                $"Operation cannot be fulfilled on {current.Type.QualifiedName} \"{current.Name.Name}\": Precondition failed: ResourceVersion in precondition: {version}, ResourceVersion in object meta: {current.ResourceVersion}",
                current.Type, current.Name.Name);
        }
    }

    /// <summary>As the NamespaceLifecycle admission plugin: nothing new goes into a namespace being deleted.</summary>
    private void ThrowIfTerminating(ResourceType type, string @namespace, string name)
    {
        if (ObjectsOf(ResourceCatalog.Namespaces).TryGetValue(new ObjectName("", @namespace), out var ns) && ns.IsDeleting)
        {
            throw new KubernetesApiException(403, "Forbidden",
                $"{type.QualifiedName} \"{name}\" is forbidden: unable to create new content in namespace {@namespace} because it is being terminated",
                type, name);
        }
    }
}
