using System.Threading.Channels;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// One open watch: the events the store routes to it, already filtered. The store ends it (completes the reader)
/// when the watcher falls too far behind or when the server disconnects every watch.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Channel<WatchEvent> _channel;
    private readonly Action<WatchSubscription> _unsubscribe;

    internal WatchSubscription(
        ResourceKey resource, string? @namespace, LabelSelector labels, FieldSelector fields, int capacity,
        Action<WatchSubscription> unsubscribe)
    {
        Resource = resource;
        Namespace = @namespace;
        Labels = labels;
        Fields = fields;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    internal ResourceKey Resource { get; }

    internal string? Namespace { get; }

    internal LabelSelector Labels { get; }

    internal FieldSelector Fields { get; }

    public ChannelReader<WatchEvent> Events => _channel.Reader;

    /// <summary>Offers a stored change; translates it to what this filtered watch sees (ADDED/MODIFIED/DELETED or nothing).</summary>
    internal void Offer(WatchEvent change)
    {
        if (!ResourceKey.Of(change.Object.Type).Equals(Resource) ||
            (Namespace is not null && change.Object.Name.Namespace != Namespace))
        {
            return;
        }

        var nowMatches = change.Type != WatchEvent.Deleted && Matches(change.Object);
        var matchedBefore = change.Type == WatchEvent.Deleted ? Matches(change.Object)
            : change.Previous is not null && Matches(change.Previous);
        var seen = (matchedBefore, nowMatches) switch
        {
            (true, true) => change with { Type = WatchEvent.Modified },
            (false, true) => change with { Type = WatchEvent.Added },
            (true, false) => change with { Type = WatchEvent.Deleted },
            _ => null,
        };

        if (seen is not null && !_channel.Writer.TryWrite(seen))
        {
            // Too far behind: end the watch; the client resumes from its last resourceVersion.
            _channel.Writer.TryComplete();
        }
    }

    internal void Send(WatchEvent change)
    {
        if (!_channel.Writer.TryWrite(change))
        {
            _channel.Writer.TryComplete();
        }
    }

    internal bool Matches(StoredObject stored) => Labels.Matches(stored.Labels) && Fields.Matches(stored);

    internal void Close() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        Close();
        _unsubscribe(this);
    }
}
