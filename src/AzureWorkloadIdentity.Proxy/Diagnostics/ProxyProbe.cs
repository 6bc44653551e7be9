namespace AzureWorkloadIdentity.Proxy.Diagnostics;

/// <summary>`proxy --probe`: a distroless image has no curl, so the binary checks its own /readyz (exit 0 ready, 1 not).</summary>
internal static class ProxyProbe
{
    /// <summary>Attempts allowed before giving up: the postStart hook runs while the sidecar is still starting.</summary>
    public const int Attempts = 20;

    public static async Task<int> RunAsync(int port, TextWriter error, TimeSpan? delay = null)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var last = string.Empty;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}{ProbeEndpoints.ReadyPath}"));
                if (response.IsSuccessStatusCode)
                {
                    return 0;
                }

                last = $"proxy not ready: {ProbeEndpoints.ReadyPath} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = $"proxy not reachable on 127.0.0.1:{port}: {ex.Message}";
            }

            if (attempt < Attempts)
            {
                await Task.Delay(delay ?? TimeSpan.FromMilliseconds(500));
            }
        }

        await error.WriteLineAsync($"{last} (after {Attempts} attempts)");
        return 1;
    }
}
