using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace AzureWorkloadIdentity.Sandbox.Entra;

/// <summary>
/// Fetches an external issuer's signing keys as Entra ID does: <c>{issuer}/.well-known/openid-configuration</c>
/// (trailing slash trimmed), then its <c>jwks_uri</c>; with a short time-out and a small cache per issuer.
/// </summary>
public sealed class IssuerKeyResolver(HttpClient http, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Fetched, IReadOnlyList<SecurityKey> Keys)> _cache = new(StringComparer.Ordinal);

    /// <summary>The issuer's keys, or the reason they could not be fetched.</summary>
    public async Task<(IReadOnlyList<SecurityKey>? Keys, string? Error)> GetKeysAsync(string issuer, bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && _cache.TryGetValue(issuer, out var cached) && time.GetUtcNow() - cached.Fetched < CacheFor)
        {
            return (cached.Keys, null);
        }

        if (!Uri.TryCreate(issuer.TrimEnd('/') + "/.well-known/openid-configuration", UriKind.Absolute, out var discovery)
            || discovery.Scheme != Uri.UriSchemeHttps)
        {
            return (null, "the issuer is not an https URL");
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        try
        {
            var document = JsonNode.Parse(await http.GetStringAsync(discovery, bounded.Token));
            var jwksUri = document?["jwks_uri"]?.GetValue<string>();
            if (string.IsNullOrEmpty(jwksUri))
            {
                return (null, $"{discovery} has no jwks_uri");
            }

            var keySet = new JsonWebKeySet(await http.GetStringAsync(new Uri(jwksUri), bounded.Token));
            IReadOnlyList<SecurityKey> keys = [.. keySet.GetSigningKeys().Take(100)];
            _cache[issuer] = (time.GetUtcNow(), keys);
            return (keys, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer from {discovery} within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return (null, $"{discovery}: {e.Message}");
        }
    }
}
