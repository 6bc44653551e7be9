using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

/// <summary>
/// Plain HTTP to the sandbox API server, for what a typed client cannot send (odd media types, broken bodies) and
/// for reading the exact status code and Status body the server answers.
/// </summary>
public sealed class RawApiClient(KubernetesApiServer server) : IDisposable
{
    private readonly HttpClient _http = new(server.CreateTrustingHandler()) { BaseAddress = server.BaseUri };

    public async Task<(int Code, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null, string? contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.BearerToken);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(int Code, JsonNode? Body)> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, accept: accept);

    public void Dispose() => _http.Dispose();
}
