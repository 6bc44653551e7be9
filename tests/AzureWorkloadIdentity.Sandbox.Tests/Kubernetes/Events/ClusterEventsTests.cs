using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Events;
using Microsoft.Extensions.Time.Testing;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Events;

public sealed class ClusterEventsTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly ObjectStore _store = new();
    private readonly ClusterEvents _events;
    private readonly EventTarget _pod;

    public ClusterEventsTests()
    {
        _events = new ClusterEvents(_store, _time);
        var pod = _store.Create(ResourceCatalog.Pods, "demo", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web" } });
        _pod = EventTarget.Of(pod, "spec.containers{app}");
    }

    [Fact]
    public void Record_FirstTime_WritesEventAsClientGoDoes()
    {
        _events.Recorder("kubelet", "sandbox-node").Normal(_pod, "Started", "Started container app");

        var stored = Assert.Single(Events("demo"));
        var e = stored.ToJsonObject();
        var nanoseconds = (Start - DateTimeOffset.UnixEpoch).Ticks * 100;
        Assert.Equal($"web.{nanoseconds:x}", stored.Name.Name);
        Assert.Equal("Event", e["kind"]!.GetValue<string>());
        Assert.Equal("Normal", e["type"]!.GetValue<string>());
        Assert.Equal("Started", e["reason"]!.GetValue<string>());
        Assert.Equal("Started container app", e["message"]!.GetValue<string>());
        Assert.Equal("kubelet", e["source"]!["component"]!.GetValue<string>());
        Assert.Equal("sandbox-node", e["source"]!["host"]!.GetValue<string>());
        Assert.Equal("kubelet", e["reportingComponent"]!.GetValue<string>());
        Assert.Equal("sandbox-node", e["reportingInstance"]!.GetValue<string>());
        Assert.Equal(1, e["count"]!.GetValue<int>());
        Assert.Equal("2026-03-01T12:00:00Z", e["firstTimestamp"]!.GetValue<string>());
        Assert.Equal("2026-03-01T12:00:00Z", e["lastTimestamp"]!.GetValue<string>());
        var involved = e["involvedObject"]!;
        Assert.Equal("Pod", involved["kind"]!.GetValue<string>());
        Assert.Equal("v1", involved["apiVersion"]!.GetValue<string>());
        Assert.Equal("demo", involved["namespace"]!.GetValue<string>());
        Assert.Equal("web", involved["name"]!.GetValue<string>());
        Assert.Equal(_pod.Uid, involved["uid"]!.GetValue<string>());
        Assert.Equal("spec.containers{app}", involved["fieldPath"]!.GetValue<string>());
    }

    [Fact]
    public void Record_SameEventAgain_CountsOnOneObject()
    {
        var kubelet = _events.Recorder("kubelet", "sandbox-node");

        kubelet.Warning(_pod, "BackOff", "Back-off restarting failed container app");
        _time.Advance(TimeSpan.FromSeconds(10));
        kubelet.Warning(_pod, "BackOff", "Back-off restarting failed container app");
        _time.Advance(TimeSpan.FromSeconds(20));
        kubelet.Warning(_pod, "BackOff", "Back-off restarting failed container app");

        var e = Assert.Single(Events("demo")).ToJsonObject();
        Assert.Equal(3, e["count"]!.GetValue<int>());
        Assert.Equal("2026-03-01T12:00:00Z", e["firstTimestamp"]!.GetValue<string>());
        Assert.Equal("2026-03-01T12:00:30Z", e["lastTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public void Record_DifferentMessageTypeSourceOrObject_SeparateEvents()
    {
        var kubelet = _events.Recorder("kubelet", "sandbox-node");
        kubelet.Normal(_pod, "Started", "Started container app");

        kubelet.Normal(_pod, "Started", "Started container other");
        kubelet.Warning(_pod, "Started", "Started container app");
        _events.Recorder("kubelet", "another-node").Normal(_pod, "Started", "Started container app");
        kubelet.Normal(_pod with { FieldPath = "spec.containers{other}" }, "Started", "Started container app");
        kubelet.Normal(_pod with { Uid = "another-uid" }, "Started", "Started container app");

        var events = Events("demo");
        Assert.Equal(6, events.Count);
        Assert.All(events, e => Assert.Equal(1, e.ToJsonObject()["count"]!.GetValue<int>()));
        Assert.Equal(6, events.Select(e => e.Name.Name).Distinct().Count());
    }

    [Fact]
    public void Record_AggregatedEventDeleted_StartsAgainAtOne()
    {
        var controller = _events.Recorder("replicaset-controller");
        controller.Normal(_pod, "SuccessfulCreate", "Created pod: web");
        _store.Delete(ResourceCatalog.Events, "demo", Events("demo")[0].Name.Name);

        controller.Normal(_pod, "SuccessfulCreate", "Created pod: web");

        var e = Assert.Single(Events("demo")).ToJsonObject();
        Assert.Equal(1, e["count"]!.GetValue<int>());
        Assert.Null(e["source"]!["host"]);
        Assert.Equal(string.Empty, e["reportingInstance"]!.GetValue<string>());
    }

    [Fact]
    public void Record_NamespaceMissingOrTerminating_DroppedWithoutRecreatingIt()
    {
        var kubelet = _events.Recorder("kubelet");
        _store.Create(ResourceCatalog.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "ending", ["finalizers"] = new JsonArray("example.com/hold") } });
        _store.Delete(ResourceCatalog.Namespaces, null, "ending");

        kubelet.Normal(_pod with { Namespace = "gone" }, "Killing", "Stopping container app");
        kubelet.Normal(_pod with { Namespace = "ending" }, "Killing", "Stopping container app");

        Assert.False(_store.TryGet(ResourceCatalog.Namespaces, null, "gone", out _));
        Assert.Empty(Events("gone"));
        Assert.Empty(Events("ending"));
    }

    [Fact]
    public void Record_ClusterScopedObject_StoredInDefault()
    {
        var node = new EventTarget("v1", "Node", null, "sandbox-node");

        _events.Recorder("kubelet", "sandbox-node").Normal(node, "Starting", "Starting kubelet.");

        var e = Assert.Single(Events("default")).ToJsonObject();
        Assert.Null(e["involvedObject"]!["namespace"]);
        Assert.Equal("sandbox-node", e["involvedObject"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Record_MoreDistinctEventsThanRemembered_ForgottenOneStartsANewObject()
    {
        var kubelet = _events.Recorder("kubelet");
        kubelet.Normal(_pod, "Pulled", "first");
        for (var i = 0; i < ClusterEvents.CacheSize; i++)
        {
            kubelet.Normal(_pod, "Pulled", "other " + i);
        }

        kubelet.Normal(_pod, "Pulled", "first");

        Assert.Equal(2, Events("demo").Count(e => e.ToJsonObject()["message"]!.GetValue<string>() == "first"));
    }

    [Fact]
    public async Task Record_ConcurrentRepeats_OneObjectCountsEvery()
    {
        var kubelet = _events.Recorder("kubelet");

        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => kubelet.Warning(_pod, "Unhealthy", "Readiness probe failed"))))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(40, Assert.Single(Events("demo")).ToJsonObject()["count"]!.GetValue<int>());
    }

    private List<StoredObject> Events(string ns) => [.. _store.List(ResourceCatalog.Events, ns).Items];
}
