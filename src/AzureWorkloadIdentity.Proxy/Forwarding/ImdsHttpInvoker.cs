using System.Net;

namespace AzureWorkloadIdentity.Proxy.Forwarding;

/// <summary>The one HTTP client to IMDS: no proxy (the pod's HTTP_PROXY must not see IMDS), no redirects, no cookies.</summary>
internal sealed class ImdsHttpInvoker : IDisposable
{
    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });

    public void Dispose() => Invoker.Dispose();
}
