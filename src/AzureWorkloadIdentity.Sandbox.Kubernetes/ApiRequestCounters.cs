using System.Collections.Concurrent;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// Requests served, by verb (<c>get</c>, <c>list</c>, <c>watch</c>, <c>create</c>, <c>update</c>, <c>patch</c>,
/// <c>delete</c>) and resource (plural name, e.g. <c>serviceaccounts</c>), so tests can assert that a steady
/// state makes no API calls.
/// </summary>
public sealed class ApiRequestCounters
{
    private readonly ConcurrentDictionary<(string Verb, string Resource), long> _counts = new();

    public long Count(string verb, string resource) => _counts.TryGetValue((verb, resource), out var n) ? n : 0;

    public IReadOnlyDictionary<string, long> Snapshot() =>
        _counts.ToDictionary(p => p.Key.Verb + " " + p.Key.Resource, p => p.Value, StringComparer.Ordinal);

    internal void Increment(string verb, string resource) => _counts.AddOrUpdate((verb, resource), 1, static (_, n) => n + 1);
}
