using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Benchmarks.Scale;

/// <summary>
/// Times the sandbox API server serving every service account over HTTPS in pages of <c>limit</c>, one page after
/// the other (as the webhook's initial list asks): the server's share of the webhook's time to ready.
/// </summary>
internal static class PagedList
{
    public static async Task<(TimeSpan Elapsed, int Pages, int Items, long Bytes)> RunAsync(KubernetesApiServer server, int limit)
    {
        using var http = new HttpClient(server.CreateTrustingHandler()) { BaseAddress = server.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.BearerToken);
        int pages = 0, items = 0;
        long bytes = 0;
        string? next = null;
        var clock = Stopwatch.StartNew();
        do
        {
            var query = next is null ? $"?limit={limit}" : $"?limit={limit}&continue={Uri.EscapeDataString(next)}";
            var body = await http.GetByteArrayAsync("api/v1/serviceaccounts" + query);
            using var page = JsonDocument.Parse(body);
            pages++;
            bytes += body.Length;
            items += page.RootElement.GetProperty("items").GetArrayLength();
            next = page.RootElement.GetProperty("metadata").TryGetProperty("continue", out var token) ? token.GetString() : null;
        }
        while (!string.IsNullOrEmpty(next));

        return (clock.Elapsed, pages, items, bytes);
    }
}
