using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Authentication;
using k8s.Autorest;

namespace AzureWorkloadIdentity.Webhook.KubernetesApi;

/// <summary>
/// The webhook's connection to the Kubernetes API server. Where to connect and how to authenticate come from the
/// official client's <see cref="KubernetesClientConfiguration"/> (in-cluster configuration, kubeconfig, exec
/// plugins, refreshed token files, client certificates, CA checks through <see cref="Kubernetes.CertificateValidationCallBack"/>
/// and <see cref="Kubernetes.CreateCredentials"/>); the few calls the webhook makes (list, watch and get service
/// accounts; get, create and replace its Secret and MutatingWebhookConfiguration) are sent here and read with
/// <see cref="KubernetesApiJsonContext"/>, which knows only those objects.
/// </summary>
/// <remarks>
/// Why not the client's typed operations: constructing <see cref="Kubernetes"/> initialises the package's JSON
/// context, whose type switch keeps every Kubernetes model of every API group in a NativeAOT image — about 14 MB of
/// the webhook's binary and 20 MB of its resident memory, on every node of every cluster (docs/performance.md).
/// Errors keep the client's types: a refused call throws <see cref="HttpOperationException"/> with the status code
/// and body, as the typed operations do.
/// </remarks>
public sealed class KubernetesApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ServiceClientCredentials? _credentials;

    public KubernetesApiClient(KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrEmpty(configuration.Host))
        {
            throw new ArgumentException("the Kubernetes configuration has no API server address (Host)", nameof(configuration));
        }

        BaseUri = new Uri(configuration.Host.TrimEnd('/') + "/", UriKind.Absolute);
        _credentials = Kubernetes.CreateCredentials(configuration);
        _http = new HttpClient(CreateHandler(configuration), disposeHandler: true)
        {
            BaseAddress = BaseUri,
            Timeout = configuration.HttpClientTimeout,
            DefaultRequestVersion = configuration.DisableHttp2 ? HttpVersion.Version11 : HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (!string.IsNullOrEmpty(configuration.UserAgent))
        {
            _http.DefaultRequestHeaders.UserAgent.ParseAdd(configuration.UserAgent);
        }
    }

    /// <summary>The API server's address.</summary>
    public Uri BaseUri { get; }

    /// <summary>GETs one object (or list) at <paramref name="path"/>, e.g. <c>api/v1/namespaces/ns/serviceaccounts/name</c>.</summary>
    /// <exception cref="HttpOperationException">The API server answered with an error status (e.g. 404).</exception>
    public Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, RequestUri(path), null, type, cancellationToken);

    /// <summary>GETs <paramref name="path"/> with query parameters (null values are left out), e.g. a list page.</summary>
    public Task<T> GetAsync<T>(string path, IEnumerable<KeyValuePair<string, string?>> query, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, RequestUri(path, query), null, type, cancellationToken);

    /// <summary>POSTs <paramref name="value"/> to the collection at <paramref name="path"/>; returns the object as created.</summary>
    public Task<T> CreateAsync<T>(string path, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, RequestUri(path), JsonContent(value, type), type, cancellationToken);

    /// <summary>PUTs <paramref name="value"/> at <paramref name="path"/> (a stale resourceVersion is a 409); returns the object as stored.</summary>
    public Task<T> ReplaceAsync<T>(string path, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, RequestUri(path), JsonContent(value, type), type, cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> with the configured credentials and returns once the response headers are in
    /// (the body, e.g. a watch stream, is the caller's to read). A non-success status throws.
    /// </summary>
    /// <exception cref="HttpOperationException">The API server answered with an error status.</exception>
    public async Task<HttpResponseMessage> OpenAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_credentials is not null)
        {
            await _credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpOperationException(
                $"{request.Method} {request.RequestUri?.PathAndQuery}: the API server answered {(int)response.StatusCode} {response.StatusCode}{StatusMessage(body)}")
            {
                Request = new HttpRequestMessageWrapper(request, null),
                Response = new HttpResponseMessageWrapper(response, body),
            };
        }
    }

    /// <summary>
    /// The address of <paramref name="path"/> (relative to the API server, with or without a leading '/'; a server
    /// address with a path prefix, as behind some proxies, is kept) with the query parameters whose value is not null.
    /// </summary>
    public Uri RequestUri(string path, IEnumerable<KeyValuePair<string, string?>>? query = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = new StringBuilder(BaseUri.AbsoluteUri).Append(path.TrimStart('/'));
        var separator = '?';
        foreach (var (name, value) in query ?? [])
        {
            if (value is not null)
            {
                text.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }

        return new Uri(text.ToString());
    }

    /// <summary>A request path from segments, each escaped (names may not contain '/', but a bad one must not change the path).</summary>
    public static string Path(params ReadOnlySpan<string> segments)
    {
        var path = new StringBuilder();
        foreach (var segment in segments)
        {
            if (path.Length > 0)
            {
                path.Append('/');
            }

            path.Append(Uri.EscapeDataString(segment));
        }

        return path.ToString();
    }

    public void Dispose() => _http.Dispose();

    /// <exception cref="InvalidDataException">The answer is not the JSON object expected (e.g. a proxy's HTML page).</exception>
    private async Task<T> SendAsync<T>(HttpMethod method, Uri uri, HttpContent? content, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(type);
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await OpenAsync(request, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidDataException($"{method} {uri.PathAndQuery}: the API server answered null instead of a {typeof(T).Name}");
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException(
                    $"{method} {uri.PathAndQuery}: the answer is not a {typeof(T).Name} ({exception.Message}); check that the server address points to the Kubernetes API server",
                    exception);
            }
        }
    }

    private static ByteArrayContent JsonContent<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>": message" from a Kubernetes Status body, or nothing when the body is not one.</summary>
    private static string StatusMessage(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, KubernetesApiJsonContext.Default.V1Status)?.Message is { Length: > 0 } message ? ": " + message : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static SocketsHttpHandler CreateHandler(KubernetesClientConfiguration configuration)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        };
        if (!string.IsNullOrEmpty(configuration.TlsServerName))
        {
            handler.SslOptions.TargetHost = configuration.TlsServerName;
        }

        if (configuration.SkipTlsVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (configuration.SslCaCerts is { Count: > 0 } authorities)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                Kubernetes.CertificateValidationCallBack(sender, authorities, certificate, chain, errors);
        }

        if (ClientCertificate(configuration) is { } clientCertificate)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        configuration.FirstMessageHandlerSetup?.Invoke(handler);
        return handler;
    }

    /// <summary>The configuration's client certificate with its key (inline data or files, PEM), or null when it has none.</summary>
    public static X509Certificate2? ClientCertificate(KubernetesClientConfiguration configuration)
    {
        var certificate = Pem(configuration.ClientCertificateData, configuration.ClientCertificateFilePath);
        var key = Pem(configuration.ClientCertificateKeyData, configuration.ClientKeyFilePath);
        if (certificate is null || key is null)
        {
            return null;
        }

        return X509Certificate2.CreateFromPem(certificate, key);
    }

    private static string? Pem(string? base64Data, string? filePath) =>
        !string.IsNullOrEmpty(base64Data) ? Encoding.UTF8.GetString(Convert.FromBase64String(base64Data))
        : !string.IsNullOrEmpty(filePath) ? File.ReadAllText(filePath)
        : null;
}
