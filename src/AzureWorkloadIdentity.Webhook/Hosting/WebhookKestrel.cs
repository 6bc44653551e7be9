using System.Net;
using AzureWorkloadIdentity.Webhook.Configuration;
using AzureWorkloadIdentity.Webhook.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace AzureWorkloadIdentity.Webhook.Hosting;

/// <summary>TLS, protocols and ports, configured in one place.</summary>
internal static class WebhookKestrel
{
    public static void Configure(KestrelServerOptions kestrel, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        var services = kestrel.ApplicationServices;
        var listeners = services.GetRequiredService<ListenerEndpoints>();
        var certificate = services.GetRequiredService<ServingCertificate>();
        kestrel.AddServerHeader = false;

        kestrel.ListenAnyIP(options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(certificate.ServerOptions
                    ?? throw new InvalidOperationException("no serving certificate loaded yet; put tls.crt and tls.key in the cert dir")),
            });
            listeners.Set(Listener.Webhook, listen);
        });
        Listen(kestrel, options.HealthAddr, listen => listeners.Set(Listener.Health, listen));
        Listen(kestrel, options.MetricsAddr, listen => listeners.Set(Listener.Metrics, listen));
    }

    // ":port" means every interface; ListenAnyIP falls back to IPv4 where IPv6 is disabled.
    private static void Listen(KestrelServerOptions kestrel, string address, Action<ListenOptions> configure)
    {
        ListenAddress.TryParse(address, out var endPoint);
        if (endPoint!.Address.Equals(IPAddress.IPv6Any))
        {
            kestrel.ListenAnyIP(endPoint.Port, configure);
        }
        else
        {
            kestrel.Listen(endPoint, configure);
        }
    }
}
