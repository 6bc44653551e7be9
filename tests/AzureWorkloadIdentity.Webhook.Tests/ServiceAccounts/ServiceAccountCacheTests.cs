using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Webhook.KubernetesApi;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AzureWorkloadIdentity.Webhook.Tests.ServiceAccounts;

public sealed class ServiceAccountCacheTests : IAsyncLifetime
{
    private const int Timeout = 30_000;
    private readonly RequestGate _gate = new();
    private KubernetesApiServer _server = null!;
    private IKubernetes _client = null!;
    private KubernetesApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { OnRequest = _gate.PassAsync });
        _client = SandboxClients.Create(_server);
        _api = SandboxClients.CreateApi(_server);
    }

    public async Task DisposeAsync()
    {
        _gate.ReleaseAll();
        _client.Dispose();
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact(Timeout = Timeout)]
    public async Task FindAsync_CachedAccount_MakesNoApiCalls()
    {
        CreateAccount("team-a", "workload", labels: new() { ["azure.workload.identity/use"] = "true" });
        CreateAccount("team-a", "plain");
        var (cache, watcher) = await StartSyncedAsync();
        using var running = watcher;
        // The watch opens just after the list: count from when it is live, so only look-ups are measured.
        await WaitForLiveWatchAsync(cache);
        var before = _server.Requests.Snapshot();

        for (var i = 0; i < 100; i++)
        {
            Assert.NotNull(await cache.FindAsync("team-a", "workload", CancellationToken.None));
            Assert.NotNull(await cache.FindAsync("team-a", "plain", CancellationToken.None));
        }

        Assert.Equal(before, _server.Requests.Snapshot());
    }

    [Fact(Timeout = Timeout)]
    public async Task FindAsync_CachedAccount_KeepsOnlyWorkloadIdentityMetadata()
    {
        CreateAccount("ns", "sa",
            labels: new() { ["azure.workload.identity/use"] = "true", ["app"] = "web" },
            annotations: new() { ["azure.workload.identity/client-id"] = "client", ["kubectl.kubernetes.io/last-applied-configuration"] = "{}" });
        var (cache, watcher) = await StartSyncedAsync();
        using var running = watcher;

        var identity = await cache.FindAsync("ns", "sa", CancellationToken.None);

        Assert.NotNull(identity);
        Assert.Equal(("ns", "sa"), (identity.Namespace, identity.Name));
        Assert.Equal(new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" }, identity.Labels);
        Assert.Equal(new Dictionary<string, string> { ["azure.workload.identity/client-id"] = "client" }, identity.Annotations);
    }

    [Fact(Timeout = Timeout)]
    public async Task Watch_CreateUpdateDelete_UpdatesCache()
    {
        var (cache, watcher) = await StartSyncedAsync();
        using var running = watcher;

        await _client.CoreV1.CreateNamespacedServiceAccountAsync(
            new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "late", Annotations = new Dictionary<string, string> { ["azure.workload.identity/client-id"] = "one" } } }, "ns");
        await WaitUntilAsync(() => ClientIdOf(cache, "ns", "late") == "one");

        await _client.CoreV1.PatchNamespacedServiceAccountAsync(
            new V1Patch("""{"metadata":{"annotations":{"azure.workload.identity/client-id":"two"}}}""", V1Patch.PatchType.MergePatch), "late", "ns");
        await WaitUntilAsync(() => ClientIdOf(cache, "ns", "late") == "two");

        await _client.CoreV1.DeleteNamespacedServiceAccountAsync("late", "ns");
        await WaitUntilAsync(() => !cache.TryGetCached("ns", "late", out _));

        Assert.Equal(1, _server.Requests.Count("list", "serviceaccounts"));
    }

    [Fact(Timeout = Timeout)]
    public async Task InitialList_PlainAccounts_KeptAsKeysAndAnsweredAsExistingWithoutMetadata()
    {
        CreateAccount("mixed", "enabled", annotations: new() { ["azure.workload.identity/client-id"] = "client" });
        CreateAccount("mixed", "plain", labels: new() { ["app"] = "web" }, annotations: new() { ["kubectl.kubernetes.io/last-applied-configuration"] = "{}" });
        var (cache, watcher) = await StartSyncedAsync();
        using var running = watcher;
        await WaitForLiveWatchAsync(cache);
        var before = _server.Requests.Snapshot();

        var plain = await cache.FindAsync("mixed", "plain", CancellationToken.None);
        var enabled = await cache.FindAsync("mixed", "enabled", CancellationToken.None);

        Assert.NotNull(plain);
        Assert.Equal(("mixed", "plain"), (plain.Namespace, plain.Name));
        Assert.Empty(plain.Labels);
        Assert.Empty(plain.Annotations);
        Assert.Equal("client", enabled?.Annotations["azure.workload.identity/client-id"]);
        // Every account but "enabled" (namespace defaults and the probe included) is held as a key only.
        Assert.Equal(cache.Count - 1, cache.PlainCount);
        Assert.Equal(before, _server.Requests.Snapshot());
    }

    [Fact(Timeout = Timeout)]
    public async Task Watch_MetadataAddedThenRemoved_MovesAccountBetweenFullAndPlain()
    {
        CreateAccount("ns", "switching");
        var (cache, watcher) = await StartSyncedAsync();
        using var running = watcher;
        var plainBefore = cache.PlainCount;

        await _client.CoreV1.PatchNamespacedServiceAccountAsync(
            new V1Patch("""{"metadata":{"annotations":{"azure.workload.identity/client-id":"now"}}}""", V1Patch.PatchType.MergePatch), "switching", "ns");
        await WaitUntilAsync(() => ClientIdOf(cache, "ns", "switching") == "now");
        Assert.Equal(plainBefore - 1, cache.PlainCount);

        await _client.CoreV1.PatchNamespacedServiceAccountAsync(
            new V1Patch("""{"metadata":{"annotations":{"azure.workload.identity/client-id":null}}}""", V1Patch.PatchType.MergePatch), "switching", "ns");
        await WaitUntilAsync(() => cache.PlainCount == plainBefore);
        Assert.True(cache.TryGetCached("ns", "switching", out var identity));
        Assert.Empty(identity!.Annotations);

        await _client.CoreV1.DeleteNamespacedServiceAccountAsync("switching", "ns");
        await WaitUntilAsync(() => !cache.TryGetCached("ns", "switching", out _));
        Assert.Equal(plainBefore - 1, cache.PlainCount);
        Assert.Equal(1, _server.Requests.Count("list", "serviceaccounts"));
    }

    [Fact(Timeout = Timeout)]
    public async Task FindAsync_PlainAccountCreatedBeforeTheWatchSawIt_ReadOnceThenHeldAsKey()
    {
        var cache = CreateCache();
        CreateAccount("ns", "fresh-plain");

        var first = await cache.FindAsync("ns", "fresh-plain", CancellationToken.None);
        var second = await cache.FindAsync("ns", "fresh-plain", CancellationToken.None);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Empty(second.Annotations);
        Assert.Equal(1, cache.PlainCount);
        Assert.Equal(1, _server.Requests.Count("get", "serviceaccounts"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Watch_Disconnected_ResumesFromResourceVersionWithoutRelist()
    {
        var (cache, watcher) = await StartSyncedAsync();
        using var running = watcher;

        await WaitForLiveWatchAsync(cache);
        _server.Store.DisconnectWatches();
        CreateAccount("ns", "after-disconnect");
        await WaitUntilAsync(() => cache.TryGetCached("ns", "after-disconnect", out var _));

        Assert.Equal(1, _server.Requests.Count("list", "serviceaccounts"));
        Assert.True(_server.Requests.Count("watch", "serviceaccounts") >= 2);
    }

    [Fact(Timeout = Timeout)]
    public async Task Watch_ResourceVersionTooOld_RelistsAndDropsDeletedAccounts()
    {
        CreateAccount("ns", "doomed");
        var (cache, watcher) = await StartSyncedAsync();
        using var running = watcher;
        Assert.True(cache.TryGetCached("ns", "doomed", out var _));

        await WaitForLiveWatchAsync(cache);
        _gate.HoldWatches();
        _server.Store.DisconnectWatches();
        await _gate.WatchHeld.WaitAsync(TimeSpan.FromSeconds(20));
        CreateAccount("ns", "born-while-away");
        _server.Store.Delete(ResourceCatalog.ServiceAccounts, "ns", "doomed");
        _server.Store.CompactHistory();
        _gate.ReleaseAll();

        await WaitUntilAsync(() => cache.TryGetCached("ns", "born-while-away", out var _) && !cache.TryGetCached("ns", "doomed", out var _));
        Assert.Equal(2, _server.Requests.Count("list", "serviceaccounts"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Watch_OpenButSilent_EndedAfterItsBoundAndAChangeMadeMeanwhileIsSeen()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cache = CreateCache(time);
        _gate.SilenceFirstWatch();
        using var watcher = new ServiceAccountWatcher(_api, cache, Options(watchTimeout: TimeSpan.FromSeconds(1)), time);
        await watcher.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => cache.IsSynced);
        await _gate.WatchHeld.WaitAsync(TimeSpan.FromSeconds(20));

        CreateAccount("ns", "changed-while-silent");
        Assert.False(cache.TryGetCached("ns", "changed-while-silent", out var _));
        // The bound: timeoutSeconds (1 s plus at most 20 % jitter, whole seconds) and the grace.
        time.Advance(TimeSpan.FromSeconds(1) + ServiceAccountWatcher.WatchGrace);
        await WaitUntilAsync(() => cache.TryGetCached("ns", "changed-while-silent", out var _));

        Assert.Equal(1, _server.Requests.Count("list", "serviceaccounts"));
        await watcher.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = Timeout)]
    public async Task FindAsync_ConcurrentMissesForSameKey_ShareOneGet()
    {
        CreateAccount("ns", "fresh", labels: new() { ["azure.workload.identity/use"] = "true" });
        var cache = CreateCache();
        _gate.HoldGets();

        var lookups = Enumerable.Range(0, 20).Select(_ => cache.FindAsync("ns", "fresh", CancellationToken.None).AsTask()).ToList();
        await _gate.GetHeld.WaitAsync(TimeSpan.FromSeconds(20));
        _gate.ReleaseAll();
        var results = await Task.WhenAll(lookups);

        Assert.All(results, r => Assert.Equal("fresh", r?.Name));
        Assert.Equal(1, _server.Requests.Count("get", "serviceaccounts"));

        // The read's result is cached: the next look-up is a hit.
        await cache.FindAsync("ns", "fresh", CancellationToken.None);
        Assert.Equal(1, _server.Requests.Count("get", "serviceaccounts"));
    }

    [Fact(Timeout = Timeout)]
    public async Task FindAsync_MissingAccount_ReturnsNull()
    {
        var cache = CreateCache();

        Assert.Null(await cache.FindAsync("ns", "ghost", CancellationToken.None));
    }

    [Fact(Timeout = Timeout)]
    public async Task FindAsync_ApiSlowerThanDeadline_ThrowsLookupExceptionNamingTheAccount()
    {
        CreateAccount("ns", "slow");
        var time = new FakeTimeProvider();
        var cache = CreateCache(time);
        _gate.HoldGets();

        var lookup = cache.FindAsync("ns", "slow", CancellationToken.None).AsTask();
        await _gate.GetHeld.WaitAsync(TimeSpan.FromSeconds(20));
        time.Advance(TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<ServiceAccountLookupException>(() => lookup);
        Assert.Contains("ns/slow", error.Message, StringComparison.Ordinal);
        Assert.Contains("took longer than 3 s", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task FindAsync_ApiServerDown_ThrowsLookupExceptionSayingItCannotConnect()
    {
        var cache = CreateCache();
        await _server.StopAsync();

        var error = await Assert.ThrowsAsync<ServiceAccountLookupException>(() => cache.FindAsync("ns", "any", CancellationToken.None).AsTask());

        Assert.Contains("Could not reach the Kubernetes API server", error.Message, StringComparison.Ordinal);
        Assert.Contains("ns/any", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task InitialList_InPages_CachesEveryAccountAndWatchesFromTheListsVersion()
    {
        for (var i = 0; i < 10; i++)
        {
            CreateAccount("paged", $"account-{i}", annotations: new Dictionary<string, string> { ["azure.workload.identity/client-id"] = $"id-{i}" });
        }

        var total = _server.Store.List(ResourceCatalog.ServiceAccounts, null).Items.Count;
        var cache = CreateCache();
        using var watcher = new ServiceAccountWatcher(_api, cache, Options(pageSize: 3));
        await watcher.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => cache.IsSynced);

        Assert.Equal((total + 2) / 3, _server.Requests.Count("list", "serviceaccounts"));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal($"id-{i}", ClientIdOf(cache, "paged", $"account-{i}"));
        }

        await WaitForLiveWatchAsync(cache);
        await watcher.StopAsync(CancellationToken.None);
    }

    [Fact(Timeout = Timeout)]
    public async Task IsSynced_BeforeAndAfterFirstList()
    {
        var cache = CreateCache();
        Assert.False(cache.IsSynced);

        using var watcher = new ServiceAccountWatcher(_api, cache, Options());
        await watcher.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => cache.IsSynced);

        Assert.True(cache.TryGetCached("default", "default", out var _));
        await watcher.StopAsync(CancellationToken.None);
    }

    private async Task<(ServiceAccountCache Cache, ServiceAccountWatcher Watcher)> StartSyncedAsync()
    {
        var cache = CreateCache();
        var watcher = new ServiceAccountWatcher(_api, cache, Options());
        await watcher.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => cache.IsSynced);
        return (cache, watcher);
    }

    /// <summary>Proves the watch is connected: an account created now reaches the cache only through it.</summary>
    private async Task WaitForLiveWatchAsync(ServiceAccountCache cache)
    {
        CreateAccount("probe", "probe");
        await WaitUntilAsync(() => cache.TryGetCached("probe", "probe", out var _));
    }

    private ServiceAccountCache CreateCache(TimeProvider? time = null) => new(_api, Options(), time);

    private static IOptions<ServiceAccountCacheOptions> Options(int pageSize = 500, TimeSpan? watchTimeout = null) => Microsoft.Extensions.Options.Options.Create(new ServiceAccountCacheOptions
    {
        WatchTimeout = watchTimeout ?? TimeSpan.FromMinutes(5),
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        ListPageSize = pageSize,
    });

    private void CreateAccount(string ns, string name, Dictionary<string, string>? labels = null, Dictionary<string, string>? annotations = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            metadata["labels"] = ToJson(labels);
        }

        if (annotations is not null)
        {
            metadata["annotations"] = ToJson(annotations);
        }

        _server.Store.Create(ResourceCatalog.ServiceAccounts, ns, new JsonObject { ["metadata"] = metadata });
    }

    private static JsonObject ToJson(Dictionary<string, string> map) => new(map.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));

    private static string? ClientIdOf(ServiceAccountCache cache, string ns, string name) =>
        cache.TryGetCached(ns, name, out var identity) && identity!.Annotations.TryGetValue("azure.workload.identity/client-id", out var id) ? id : null;

    /// <summary>Waits for a condition the watch makes true; the test's own timeout bounds it.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(10);
        }
    }

    /// <summary>Holds selected requests at the server until released, and reports when one arrived.</summary>
    private sealed class RequestGate
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _getHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _watchHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _holdGets;
        private volatile bool _holdWatches;
        private int _silenceWatches;

        public Task GetHeld => _getHeld.Task;

        public Task WatchHeld => _watchHeld.Task;

        public void HoldGets() => _holdGets = true;

        public void HoldWatches() => _holdWatches = true;

        /// <summary>The next watch gets its response headers and then nothing, as behind a dead load balancer.</summary>
        public void SilenceFirstWatch() => _silenceWatches = 1;

        public void ReleaseAll()
        {
            _holdGets = false;
            _holdWatches = false;
            _release.TrySetResult();
        }

        public async Task PassAsync(HttpContext context)
        {
            var path = context.Request.Path.Value ?? string.Empty;
            var isWatch = context.Request.Query["watch"] == "true";
            var isGet = HttpMethods.IsGet(context.Request.Method) && !isWatch && path.Contains("/serviceaccounts/", StringComparison.Ordinal);
            if (isWatch && Interlocked.Exchange(ref _silenceWatches, 0) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/json";
                await context.Response.StartAsync();
                _watchHeld.TrySetResult();
                await Task.WhenAny(_release.Task, Task.Delay(System.Threading.Timeout.Infinite, context.RequestAborted));
                context.Abort();
            }
            else if (_holdGets && isGet)
            {
                _getHeld.TrySetResult();
                await _release.Task;
            }
            else if (_holdWatches && isWatch)
            {
                _watchHeld.TrySetResult();
                await _release.Task;
            }
        }
    }
}
