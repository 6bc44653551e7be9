using System.Net;
using System.Text.RegularExpressions;

namespace AzureWorkloadIdentity.Cli.Cloud;

/// <summary>
/// Finds the subscription's tenant the way the original does: an unauthenticated GET of the subscription answers
/// 401 with <c>WWW-Authenticate: Bearer authorization_uri="…/&lt;tenant&gt;"</c>. No SDK covers this
/// unauthenticated challenge, hence the plain HttpClient.
/// </summary>
internal static partial class TenantDiscovery
{
    public static async Task<string> DiscoverAsync(HttpClient client, Uri resourceManager, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(resourceManager);
        using var response = await client.GetAsync(
            new Uri(resourceManager, $"subscriptions/{Uri.EscapeDataString(subscriptionId)}?api-version=2016-06-01"), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            throw new InvalidOperationException($"unexpected response from get subscription: {(int)response.StatusCode} (expected 401 with a tenant challenge from {resourceManager})");
        }

        if (!response.Headers.TryGetValues("WWW-Authenticate", out var values))
        {
            throw new InvalidOperationException("header \"WWW-Authenticate\" not found in get subscription response");
        }

        var header = string.Join(", ", values);
        return ParseTenant(header)
            ?? throw new InvalidOperationException($"could not find the tenant ID in header: WWW-Authenticate \"{header}\"");
    }

    public static string? ParseTenant(string header)
    {
        var match = AuthorizationUri().Match(header ?? string.Empty);
        return match.Success ? match.Groups["tenant"].Value : null;
    }

    [GeneratedRegex("authorization_uri=\"[^\"]*/(?<tenant>[0-9a-fA-F-]+)\"")]
    private static partial Regex AuthorizationUri();
}
