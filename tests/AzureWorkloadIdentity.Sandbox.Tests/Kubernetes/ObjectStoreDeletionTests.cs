using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

public sealed class ObjectStoreDeletionTests
{
    private static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);
    private static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "ReplicaSet", true);
    private readonly ObjectStore _store = new();

    [Fact]
    public void Delete_WithFinalizer_MarkedUntilFinalizerRemoved()
    {
        _store.Create(ConfigMaps, "demo", Object("held", finalizers: ["example.com/hold"]));

        var marked = _store.Delete(ConfigMaps, "demo", "held");

        Assert.True(marked.IsDeleting);
        Assert.Equal(0, marked.ToJsonObject()["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        _store.Patch(ConfigMaps, "demo", "held", o =>
        {
            o["metadata"]!.AsObject().Remove("finalizers");
            return o;
        });
        Assert.Empty(_store.List(ConfigMaps, "demo").Items);
    }

    [Fact]
    public void Update_OfDeletingObject_KeepsDeletionTimestamp()
    {
        _store.Create(ConfigMaps, "demo", Object("held", finalizers: ["a", "b"]));
        var marked = _store.Delete(ConfigMaps, "demo", "held");

        var updated = _store.Patch(ConfigMaps, "demo", "held", o =>
        {
            o["metadata"]!.AsObject().Remove("deletionTimestamp");
            o["metadata"]!["finalizers"] = new JsonArray("b");
            return o;
        });

        Assert.Equal(
            marked.ToJsonObject()["metadata"]!["deletionTimestamp"]!.GetValue<string>(),
            updated.ToJsonObject()["metadata"]!["deletionTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public void Delete_PodOnNode_GracefulUntilDeletedWithZeroGrace()
    {
        _store.Create(ResourceCatalog.Pods, "demo", Pod("web", nodeName: "node-1", terminationGrace: 5));

        var marked = _store.Delete(ResourceCatalog.Pods, "demo", "web");
        var again = _store.Delete(ResourceCatalog.Pods, "demo", "web", new DeleteOptions(GracePeriodSeconds: 10));

        Assert.True(marked.IsDeleting);
        Assert.Equal(5, marked.ToJsonObject()["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        Assert.Equal(marked.ResourceVersion, again.ResourceVersion);
        _store.Delete(ResourceCatalog.Pods, "demo", "web", new DeleteOptions(GracePeriodSeconds: 0));
        Assert.Empty(_store.List(ResourceCatalog.Pods, "demo").Items);
    }

    [Fact]
    public void Delete_PodWithoutNode_RemovedAtOnce()
    {
        _store.Create(ResourceCatalog.Pods, "demo", Pod("web", nodeName: null, terminationGrace: 30));

        _store.Delete(ResourceCatalog.Pods, "demo", "web");

        Assert.Empty(_store.List(ResourceCatalog.Pods, "demo").Items);
    }

    [Fact]
    public void Delete_OwnerInBackground_DeletesDependents()
    {
        var owner = _store.Create(ReplicaSets, "demo", Object("rs"));
        _store.Create(ResourceCatalog.Pods, "demo", Pod("p1", null, 30, owner.Uid));

        _store.Delete(ReplicaSets, "demo", "rs");

        Assert.Empty(_store.List(ResourceCatalog.Pods, "demo").Items);
    }

    [Fact]
    public void Delete_OwnerOrphan_KeepsDependentsWithoutOwnerReference()
    {
        var owner = _store.Create(ReplicaSets, "demo", Object("rs"));
        _store.Create(ResourceCatalog.Pods, "demo", Pod("p1", null, 30, owner.Uid));

        _store.Delete(ReplicaSets, "demo", "rs", new DeleteOptions(PropagationPolicy: DeleteOptions.Orphan));

        Assert.Empty(_store.List(ReplicaSets, "demo").Items);
        Assert.Empty(Assert.Single(_store.List(ResourceCatalog.Pods, "demo").Items).OwnerUids);
    }

    [Fact]
    public void Delete_OwnerForeground_WaitsForGracefulDependent()
    {
        var owner = _store.Create(ReplicaSets, "demo", Object("rs"));
        _store.Create(ResourceCatalog.Pods, "demo", Pod("p1", "node-1", 30, owner.Uid));

        var marked = _store.Delete(ReplicaSets, "demo", "rs", new DeleteOptions(PropagationPolicy: DeleteOptions.Foreground));

        Assert.Contains(ObjectStore.ForegroundFinalizer, marked.Finalizers);
        Assert.True(Assert.Single(_store.List(ResourceCatalog.Pods, "demo").Items).IsDeleting);
        _store.Delete(ResourceCatalog.Pods, "demo", "p1", new DeleteOptions(GracePeriodSeconds: 0));
        Assert.Empty(_store.List(ReplicaSets, "demo").Items);
    }

    [Fact]
    public void Delete_Namespace_TerminatingUntilContentGone_RefusesNewContent()
    {
        _store.Create(ConfigMaps, "doomed", Object("held", finalizers: ["example.com/hold"]));
        _store.Create(ConfigMaps, "doomed", Object("free"));

        var ns = _store.Delete(ResourceCatalog.Namespaces, null, "doomed");

        Assert.Equal("Terminating", ns.ToJsonObject()["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("held", Assert.Single(_store.List(ConfigMaps, "doomed").Items).Name.Name);
        var refused = Assert.Throws<KubernetesApiException>(() => _store.Create(ConfigMaps, "doomed", Object("late")));
        Assert.Equal((403, "Forbidden"), (refused.Code, refused.Reason));
        Assert.Contains("because it is being terminated", refused.Message, StringComparison.Ordinal);
        _store.Patch(ConfigMaps, "doomed", "held", o =>
        {
            o["metadata"]!.AsObject().Remove("finalizers");
            return o;
        });
        Assert.DoesNotContain(_store.List(ResourceCatalog.Namespaces, null).Items, n => n.Name.Name == "doomed");
    }

    [Fact]
    public void DeleteCollection_WithLabelSelector_DeletesOnlyMatches()
    {
        _store.Create(ConfigMaps, "demo", Object("a", labels: new() { ["team"] = "red" }));
        _store.Create(ConfigMaps, "demo", Object("b", labels: new() { ["team"] = "blue" }));

        var deleted = _store.DeleteCollection(ConfigMaps, "demo", LabelSelector.Parse("team=red"), FieldSelector.Everything);

        Assert.Equal("a", Assert.Single(deleted).Name.Name);
        Assert.Equal("b", Assert.Single(_store.List(ConfigMaps, "demo").Items).Name.Name);
    }

    [Fact]
    public void Delete_PreconditionUidMismatch_Conflict()
    {
        _store.Create(ConfigMaps, "demo", Object("a"));

        var error = Assert.Throws<KubernetesApiException>(() => _store.Delete(ConfigMaps, "demo", "a", new DeleteOptions(PreconditionUid: "other")));

        Assert.Equal((409, "Conflict"), (error.Code, error.Reason));
        Assert.Contains("Precondition failed: UID in precondition: other", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject Object(string name, string[]? finalizers = null, Dictionary<string, string>? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (finalizers is not null)
        {
            metadata["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]);
        }

        if (labels is not null)
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }

        return new JsonObject { ["metadata"] = metadata };
    }

    private static JsonObject Pod(string name, string? nodeName, int terminationGrace, string? ownerUid = null)
    {
        var pod = Object(name);
        if (ownerUid is not null)
        {
            pod["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["name"] = "rs",
                ["uid"] = ownerUid,
                ["blockOwnerDeletion"] = true,
            });
        }

        pod["spec"] = new JsonObject
        {
            ["nodeName"] = nodeName,
            ["terminationGracePeriodSeconds"] = terminationGrace,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "i" }),
        };
        return pod;
    }
}
