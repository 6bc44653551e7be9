using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;

/// <summary>
/// What every controller of the sandbox shares, as kube-controller-manager's controllers do: a client of its own,
/// watch loops that survive any failure (logged, then a relist after half a second), and the memory of which state of
/// an object was already acted on, so the controller's own writes, which come back as Modified events, do not make it
/// act twice. Disposing stops the loops and disposes the client.
/// </summary>
public abstract partial class Controller : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly Dictionary<string, string> _reconciled = [];
    private readonly Lock _gate = new();

    protected Controller(IKubernetes client, ILogger logger)
    {
        Client = client;
        Logger = logger;
    }

    protected IKubernetes Client { get; }

    protected ILogger Logger { get; }

    /// <summary>Starts <paramref name="watch"/> and restarts it whenever it ends or fails, until the controller stops.</summary>
    protected void Run(string name, Func<CancellationToken, Task> watch) => _loops.Add(RunAsync(name, watch, _stopping.Token));

    /// <summary>Reconciles each added or modified object; a deleted one is forgotten (the API server deletes what it owned).</summary>
    protected async Task FollowAsync<T>(
        IAsyncEnumerable<(WatchEventType Type, T Item)> events, Func<T, V1ObjectMeta> metadata,
        Func<T, CancellationToken, Task> reconcile, CancellationToken stopping)
    {
        await foreach (var (type, item) in events.WithCancellation(stopping))
        {
            if (type is WatchEventType.Added or WatchEventType.Modified)
            {
                await reconcile(item, stopping);
            }
            else if (type is WatchEventType.Deleted)
            {
                lock (_gate)
                {
                    _reconciled.Remove(metadata(item).Uid);
                }
            }
        }
    }

    /// <summary>
    /// For every event about an object owned by a <paramref name="ownerKind"/>, calls <paramref name="owner"/> with the
    /// owner's namespace and name (a pod's readiness changes its ReplicaSet's status, a ReplicaSet's its Deployment's).
    /// </summary>
    protected static async Task FollowOwnersAsync<T>(
        IAsyncEnumerable<(WatchEventType Type, T Item)> events, Func<T, V1ObjectMeta> metadata, string ownerKind,
        Func<string, string, CancellationToken, Task> owner, CancellationToken stopping)
    {
        await foreach (var (_, item) in events.WithCancellation(stopping))
        {
            var meta = metadata(item);
            if (meta.OwnerReferences?.FirstOrDefault(o => o.Kind == ownerKind) is { } reference)
            {
                await owner(meta.NamespaceProperty, reference.Name, stopping);
            }
        }
    }

    /// <summary>Whether this object's relevant <paramref name="state"/> (template, replicas) has not been acted on yet.</summary>
    protected bool FirstTime(string uid, string state)
    {
        lock (_gate)
        {
            if (_reconciled.TryGetValue(uid, out var seen) && seen == state)
            {
                return false;
            }

            _reconciled[uid] = state;
            return true;
        }
    }

    private async Task RunAsync(string name, Func<CancellationToken, Task> watch, CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await watch(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A controller survives any failure of its watch: it relists, as the real ones do.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWatchFailed(Logger, name, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(500), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await DisposeCoreAsync();
        _stopping.Dispose();
        Client.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a controller holds besides its client, after its loops have stopped.</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    [LoggerMessage(3, LogLevel.Warning, "controller: the {Controller} watch failed and is restarted: {Reason}")]
    private static partial void LogWatchFailed(ILogger logger, string controller, string reason);
}
