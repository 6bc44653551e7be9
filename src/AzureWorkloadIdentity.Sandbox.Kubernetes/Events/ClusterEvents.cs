using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Events;

/// <summary>
/// Where every component's Events go: core <c>v1</c> Event objects written straight into the API server's store,
/// as client-go's recorder writes them through the API — <c>&lt;object&gt;.&lt;hex nanoseconds&gt;</c> names,
/// <c>source</c>, <c>firstTimestamp</c>/<c>lastTimestamp</c>, <c>count</c>. An Event identical to one recorded
/// before (same source, object, type, reason and message: <see cref="EventKey"/>) is not a new object: the existing
/// one gets <c>count</c> + 1 and a new <c>lastTimestamp</c>, as client-go's correlator does, remembering the last
/// <see cref="CacheSize"/> keys. An Event whose namespace does not exist (or is being deleted) is dropped, as the
/// API server would refuse it, rather than bringing the namespace back.
/// </summary>
public sealed partial class ClusterEvents
{
    /// <summary>How many distinct Events are remembered for aggregation (client-go's LRU holds 4096).</summary>
    public const int CacheSize = 4096;

    private readonly ObjectStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<EventKey, string> _names = [];
    private readonly Queue<EventKey> _remembered = new();
    private long _lastNanoseconds;

    public ClusterEvents(ObjectStore store, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>A recorder for one component; <paramref name="host"/> is the node a kubelet runs on.</summary>
    public EventRecorder Recorder(string component, string? host = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(component);
        return new EventRecorder(this, component, host);
    }

    internal void Record(EventRecorder source, EventTarget target, string type, string reason, string message)
    {
        try
        {
            Write(source, target, type, reason, message);
        }
#pragma warning disable CA1031 // Recording an Event never fails the component that records it, as client-go's recorder never does.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogNotRecorded(_logger, reason, target.Kind, target.EventNamespace, target.Name, e.Message);
        }
    }

    private void Write(EventRecorder source, EventTarget target, string type, string reason, string message)
    {
        var ns = target.EventNamespace;
        if (!_store.TryGet(ResourceCatalog.Namespaces, null, ns, out var space) || space.IsDeleting)
        {
            LogNoNamespace(_logger, reason, target.Kind, ns, target.Name);
            return;
        }

        var key = EventKey.Of(source, target, type, reason, message);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            // One writer at a time, so that two repeats of one Event count twice and never make two objects.
            if (_names.TryGetValue(key, out var existing) && TryCountAgain(ns, existing, now))
            {
                return;
            }

            var name = NewName(target.Name, now);
            _store.Create(ResourceCatalog.Events, ns, NewEvent(source, target, ns, name, type, reason, message, now));
            Remember(key, name);
        }
    }

    /// <summary>Adds one to the stored Event's count; false when it is gone (deleted since).</summary>
    private bool TryCountAgain(string ns, string name, DateTimeOffset now)
    {
        try
        {
            _store.Patch(ResourceCatalog.Events, ns, name, json =>
            {
                json["count"] = (json["count"]?.GetValue<int>() ?? 1) + 1;
                json["lastTimestamp"] = Timestamp(now);
                return json;
            });
            return true;
        }
        catch (KubernetesApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    /// <summary>client-go's name: the object's name and the time in nanoseconds, in hex — kept unique here.</summary>
    private string NewName(string objectName, DateTimeOffset now)
    {
        var nanoseconds = (now - DateTimeOffset.UnixEpoch).Ticks * 100;
        _lastNanoseconds = Math.Max(nanoseconds, _lastNanoseconds + 1);
        return objectName + "." + _lastNanoseconds.ToString("x", CultureInfo.InvariantCulture);
    }

    private void Remember(EventKey key, string name)
    {
        if (_names.TryAdd(key, name))
        {
            _remembered.Enqueue(key);
            if (_remembered.Count > CacheSize)
            {
                _names.Remove(_remembered.Dequeue());
            }
        }
        else
        {
            _names[key] = name;
        }
    }

    private static JsonObject NewEvent(
        EventRecorder source, EventTarget target, string ns, string name, string type, string reason, string message, DateTimeOffset now)
    {
        var origin = new JsonObject { ["component"] = source.Component };
        if (!string.IsNullOrEmpty(source.Host))
        {
            origin["host"] = source.Host;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["involvedObject"] = target.ToJson(),
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = origin,
            ["firstTimestamp"] = Timestamp(now),
            ["lastTimestamp"] = Timestamp(now),
            ["count"] = 1,
            ["type"] = type,
            ["eventTime"] = null,
            ["reportingComponent"] = source.Component,
            ["reportingInstance"] = source.Host ?? string.Empty,
        };
    }

    /// <summary>metav1.Time: RFC 3339 in whole seconds.</summary>
    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [LoggerMessage(1, LogLevel.Warning, "events: {Reason} for {Kind} {Namespace}/{Name} was not recorded: {Error}")]
    private static partial void LogNotRecorded(ILogger logger, string reason, string kind, string @namespace, string name, string error);

    [LoggerMessage(2, LogLevel.Debug, "events: {Reason} for {Kind} {Namespace}/{Name} was dropped: the namespace is gone or terminating")]
    private static partial void LogNoNamespace(ILogger logger, string reason, string kind, string @namespace, string name);
}
