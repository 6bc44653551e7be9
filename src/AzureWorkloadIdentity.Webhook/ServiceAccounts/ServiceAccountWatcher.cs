using System.Globalization;
using System.Net;
using AzureWorkloadIdentity.Webhook.KubernetesApi;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>
/// Keeps <see cref="ServiceAccountCache"/> current: lists service accounts across all namespaces, then watches
/// from the list's resourceVersion, resuming from the last seen version when a watch ends, listing again when
/// the server answers 410 Gone, and backing off exponentially (with jitter) after failures. Each watch asks the server
/// to end it after a randomised <c>timeoutSeconds</c> (as client-go's reflector does) and is also ended by the webhook
/// <see cref="WatchGrace"/> later, so a connection that stays open but delivers nothing (a dead load balancer, a NAT
/// that dropped its state) cannot leave the cache stale; HTTP/2 connections also send keep-alive pings
/// (<see cref="KubernetesApiClient"/>).
/// </summary>
public sealed class ServiceAccountWatcher : BackgroundService
{
    private readonly KubernetesApiClient _client;
    private readonly ServiceAccountCache _cache;
    private readonly ServiceAccountCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private bool _listedOnce;

    /// <summary>How long past its <c>timeoutSeconds</c> a watch may stay open before the webhook gives up on it.</summary>
    public static readonly TimeSpan WatchGrace = TimeSpan.FromSeconds(15);

    public ServiceAccountWatcher(
        KubernetesApiClient client,
        ServiceAccountCache cache,
        IOptions<ServiceAccountCacheOptions> options,
        TimeProvider? time = null,
        ILogger<ServiceAccountWatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? resourceVersion = null;
        var backoff = _options.InitialBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                resourceVersion ??= await ListAsync(stoppingToken);
                resourceVersion = await WatchAsync(resourceVersion, stoppingToken);
                backoff = _options.InitialBackoff;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone)
            {
                ServiceAccountCacheLog.WatchExpired(_logger, resourceVersion);
                resourceVersion = null;
            }
#pragma warning disable CA1031 // Any failure of the API connection is retried; the loop must not die.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var delay = WithJitter(backoff);
                ServiceAccountCacheLog.SyncFailed(_logger, ex, delay);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
                try
                {
                    await Task.Delay(delay, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // Page by page (limit/continue), as client-go's reflector does: the API server answers from its watch cache in
    // chunks, and the webhook never holds more than one page of full ServiceAccount objects at a time.
    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var seen = new HashSet<ServiceAccountKey>();
        string? continueToken = null;
        string? resourceVersion;
        do
        {
            var page = await _client.GetAsync(
                "api/v1/serviceaccounts",
                [new("limit", _options.ListPageSize.ToString(CultureInfo.InvariantCulture)), new("continue", string.IsNullOrEmpty(continueToken) ? null : continueToken)],
                KubernetesApiJsonContext.Default.V1ServiceAccountList,
                cancellationToken);
            _cache.Store(page.Items ?? [], seen);
            resourceVersion = page.Metadata?.ResourceVersion;
            continueToken = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(continueToken));

        _cache.RemoveAllBut(seen, resourceVersion);
        ServiceAccountCacheLog.Listed(_logger, seen.Count, resourceVersion);
        if (!_listedOnce)
        {
            // The pages of full ServiceAccount objects are garbage now and the cache is what stays: one compacting
            // collection that returns the freed memory to the system keeps the steady footprint at the cache's size
            // (docs/performance.md). Once, before the webhook reports ready; never on the admission path.
            _listedOnce = true;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
        return resourceVersion ?? string.Empty;
    }

    /// <summary>Applies watch events; returns the version to resume from, or null when a relist is needed.</summary>
    private async Task<string?> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var timeoutSeconds = (int)WithJitter(_options.WatchTimeout).TotalSeconds;
        var limit = TimeSpan.FromSeconds(timeoutSeconds) + WatchGrace;
        using var silence = new CancellationTokenSource(limit, _time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        var events = _client.WatchAsync(
            "api/v1/serviceaccounts",
            KubernetesApiJsonContext.Default.V1ServiceAccount,
            new Dictionary<string, string?>
            {
                ["allowWatchBookmarks"] = "true",
                ["resourceVersion"] = resourceVersion,
                ["timeoutSeconds"] = timeoutSeconds.ToString(CultureInfo.InvariantCulture),
            },
            onMalformedEvent: ex => ServiceAccountCacheLog.BadWatchEvent(_logger, ex),
            bounded.Token);

        try
        {
            await foreach (var (type, account) in events.ConfigureAwait(false))
            {
                switch (type)
                {
                    case WatchEventType.Added:
                    case WatchEventType.Modified:
                        _cache.Upsert(account);
                        break;
                    case WatchEventType.Deleted:
                        _cache.Remove(account);
                        break;
                    case WatchEventType.Bookmark:
                        _cache.AdvanceResourceVersion(account.Metadata?.ResourceVersion);
                        break;
                    default:
                        continue;
                }

                resourceVersion = account.Metadata?.ResourceVersion ?? resourceVersion;
            }
        }
        catch (KubernetesException ex) when (ex.Status?.Code == (int)HttpStatusCode.Gone)
        {
            ServiceAccountCacheLog.WatchExpired(_logger, resourceVersion);
            return null;
        }
        catch (OperationCanceledException) when (silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Resume from the last version seen: the server keeps the events since then (or answers 410 and we relist).
            ServiceAccountCacheLog.WatchSilent(_logger, limit, resourceVersion);
        }

        return resourceVersion;
    }

    private static TimeSpan WithJitter(TimeSpan value) =>
        value + TimeSpan.FromTicks((long)(value.Ticks * 0.2 * Random.Shared.NextDouble()));
}
