namespace AzureWorkloadIdentity.Proxy.Diagnostics;

/// <summary>`proxy --probe`: a distroless image has no curl, so the binary checks its own /readyz (exit 0 ready, 1 not).</summary>
public static class ProxyProbe
{
    public static async Task<int> RunAsync(int port, TextWriter error)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}{ProbeEndpoints.ReadyPath}"));
            if (response.IsSuccessStatusCode) return 0;
            await error.WriteLineAsync($"proxy not ready: {ProbeEndpoints.ReadyPath} answered {(int)response.StatusCode}");
            return 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"proxy not reachable on 127.0.0.1:{port}: {ex.Message}");
            return 1;
        }
    }
}
