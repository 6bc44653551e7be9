using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using AzureWorkloadIdentity.Webhook.KubernetesApi;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AzureWorkloadIdentity.Webhook.ServiceAccounts;

/// <summary>
/// In-memory copy of every service account, kept current by <see cref="ServiceAccountWatcher"/>. A hit costs no
/// API call; a miss (an account created a moment ago, or before the first list) reads the account once, and
/// concurrent misses for the same key share that one read. Callers never wait longer than
/// <see cref="ServiceAccountCacheOptions.LookupTimeout"/>. Accounts with <c>azure.workload.identity/</c> metadata keep
/// that metadata; the others only their key (<see cref="PlainServiceAccounts"/>): at 100,000 accounts, most of them.
/// </summary>
internal sealed class ServiceAccountCache : IServiceAccountLookup
{
    private readonly ConcurrentDictionary<ServiceAccountKey, ServiceAccountIdentity> _identities = new();
    private readonly PlainServiceAccounts _plain = new();
    private readonly ConcurrentDictionary<ServiceAccountKey, Lazy<Task<ServiceAccountIdentity?>>> _pendingReads = new();
    private readonly ConcurrentDictionary<string, string> _namespaces = new(StringComparer.Ordinal);
    private readonly Func<string, string> _intern;
    private readonly KubernetesApiClient _client;
    private readonly ServiceAccountCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _resourceVersion;
    private volatile bool _synced;

    public ServiceAccountCache(
        KubernetesApiClient client,
        IOptions<ServiceAccountCacheOptions> options,
        TimeProvider? time = null,
        ILogger<ServiceAccountCache>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _intern = ns => _namespaces.GetOrAdd(ns, ns);
    }

    public bool IsSynced => _synced;

    /// <summary>Number of cached accounts (diagnostics and tests).</summary>
    public int Count => _identities.Count + _plain.Count;

    /// <summary>Number of cached accounts without any of our metadata, held as keys only (diagnostics and tests).</summary>
    public int PlainCount => _plain.Count;

    public ValueTask<ServiceAccountIdentity?> FindAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(name);
        var key = new ServiceAccountKey(@namespace, name);
        return TryGet(key, out var cached)
            ? ValueTask.FromResult<ServiceAccountIdentity?>(cached)
            : new ValueTask<ServiceAccountIdentity?>(ReadThroughAsync(key, cancellationToken));
    }

    /// <summary>Returns the cached account without ever calling the API (diagnostics and tests).</summary>
    public bool TryGetCached(string @namespace, string name, out ServiceAccountIdentity? identity)
    {
        var found = TryGet(new ServiceAccountKey(@namespace, name), out var cached);
        identity = cached;
        return found;
    }

    private bool TryGet(ServiceAccountKey key, out ServiceAccountIdentity? identity)
    {
        if (_identities.TryGetValue(key, out identity))
        {
            return true;
        }

        // A plain account is answered from its key: the caller's strings, the shared empty maps.
        identity = _plain.Contains(key) ? ServiceAccountProjection.Plain(key) : null;
        return identity is not null;
    }

    /// <summary>Stores one page of a list, adding each account's key to <paramref name="seen"/>.</summary>
    internal void Store(IEnumerable<V1ServiceAccount> accounts, HashSet<ServiceAccountKey> seen)
    {
        foreach (var account in accounts)
        {
            var key = ServiceAccountProjection.KeyOf(account, _intern);
            seen.Add(key);
            Put(key, ServiceAccountProjection.Project(account, _intern));
        }
    }

    // Into its new place before out of the old one: a concurrent look-up finds the account in one or the other.
    private void Put(ServiceAccountKey key, ServiceAccountIdentity identity)
    {
        if (ServiceAccountProjection.IsPlain(identity))
        {
            _plain.Add(key);
            _identities.TryRemove(key, out _);
        }
        else
        {
            _identities[key] = identity;
            _plain.Remove(key);
        }
    }

    /// <summary>Ends a list (first sync, or relist after 410 Gone): drops accounts it did not contain; marks the cache synced.</summary>
    internal void RemoveAllBut(HashSet<ServiceAccountKey> seen, string? resourceVersion)
    {
        foreach (var key in _identities.Keys)
        {
            if (!seen.Contains(key))
            {
                _identities.TryRemove(key, out _);
            }
        }

        _plain.RemoveAllBut(seen);

        AdvanceResourceVersion(resourceVersion);
        _synced = true;
    }

    internal void Upsert(V1ServiceAccount account)
    {
        Put(ServiceAccountProjection.KeyOf(account, _intern), ServiceAccountProjection.Project(account, _intern));
        AdvanceResourceVersion(account.Metadata.ResourceVersion);
    }

    internal void Remove(V1ServiceAccount account)
    {
        var key = ServiceAccountProjection.KeyOf(account, _intern);
        _identities.TryRemove(key, out _);
        _plain.Remove(key);
        AdvanceResourceVersion(account.Metadata.ResourceVersion);
    }

    internal void AdvanceResourceVersion(string? resourceVersion)
    {
        if (TryParseResourceVersion(resourceVersion, out var value))
        {
            Volatile.Write(ref _resourceVersion, value);
        }
    }

    private async Task<ServiceAccountIdentity?> ReadThroughAsync(ServiceAccountKey key, CancellationToken cancellationToken)
    {
        ServiceAccountCacheLog.CacheMiss(_logger, key.Namespace, key.Name);
        var read = _pendingReads.GetOrAdd(
            key,
            static (k, self) => new Lazy<Task<ServiceAccountIdentity?>>(() => self.ReadAsync(k)),
            this);
        try
        {
            return await read.Value.WaitAsync(_options.LookupTimeout, _time, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw TimedOut(key, ex);
        }
    }

    private async Task<ServiceAccountIdentity?> ReadAsync(ServiceAccountKey key)
    {
        // The shared read has its own deadline: it must not outlive the callers that wait for it.
        using var deadline = new CancellationTokenSource(_options.LookupTimeout, _time);
        try
        {
            var account = await _client.GetAsync(
                KubernetesApiClient.Path("api", "v1", "namespaces", key.Namespace, "serviceaccounts", key.Name),
                KubernetesApiJsonContext.Default.V1ServiceAccount,
                deadline.Token);
            var identity = ServiceAccountProjection.Project(account, _intern);
            CacheIfNewer(key, identity, account.Metadata.ResourceVersion);
            return identity;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException ex)
        {
            throw new ServiceAccountLookupException(
                $"The Kubernetes API server answered {(int)ex.Response.StatusCode} ({ex.Response.ReasonPhrase}) when the webhook read service account {key}: {Trim(ex.Response.Content)}. " +
                "Check that the webhook's service account may get service accounts (RBAC).",
                ex);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested)
        {
            throw TimedOut(key, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ServiceAccountLookupException(
                $"Could not reach the Kubernetes API server at {_client.BaseUri} to read service account {key}: {ex.Message}. " +
                "Check that the API server is running and that the in-cluster configuration or kubeconfig points to it.",
                ex);
        }
        catch (InvalidDataException ex)
        {
            throw new ServiceAccountLookupException(
                $"The answer of {_client.BaseUri} for service account {key} could not be read: {ex.Message}.",
                ex);
        }
        finally
        {
            _pendingReads.TryRemove(key, out _);
        }
    }

    // A read racing with the watch must not resurrect an account the watch has already deleted: keep the read's
    // copy only when it is newer than everything the watch has applied.
    private void CacheIfNewer(ServiceAccountKey key, ServiceAccountIdentity identity, string? resourceVersion)
    {
        if (TryParseResourceVersion(resourceVersion, out var value) && value > Volatile.Read(ref _resourceVersion) && !TryGet(key, out _))
        {
            Put(key with { Namespace = _intern(key.Namespace) }, identity);
        }
    }

    private ServiceAccountLookupException TimedOut(ServiceAccountKey key, Exception inner) =>
        new(
            $"Looking up service account {key} took longer than {_options.LookupTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: " +
            $"the Kubernetes API server at {_client.BaseUri} did not answer in time.",
            inner);

    private static bool TryParseResourceVersion(string? resourceVersion, out long value) =>
        long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static string Trim(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "(no details)";
        }

        return text.Length <= 300 ? text : text[..300] + "…";
    }
}
