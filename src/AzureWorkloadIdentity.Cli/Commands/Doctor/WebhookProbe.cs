using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Autorest;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>
/// How the webhook is reached and what it serves: for a <c>clientConfig.url</c> a TLS handshake with the URL (the
/// certificate is captured, not trusted: <see cref="TrustedBy"/> judges it against the caBundle); for a
/// <c>clientConfig.service</c> the Service's ready endpoints and the serving certificate in its namespace's secret.
/// </summary>
internal static class WebhookProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Connects to the URL; the served certificate, or the reason it could not be reached.</summary>
    public static async Task<(X509Certificate2? Certificate, string? Error)> HandshakeAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        X509Certificate2? served = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    served = certificate is null ? null : new X509Certificate2(certificate);
                    return true; // only captured here; TrustedBy checks it against the caBundle
                },
            },
        };
        using var http = new HttpClient(handler) { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            return (served, null);
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            served?.Dispose();
            return (null, exception is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : exception.Message);
        }
    }

    /// <summary>The tls.crt of a secret in the Service's namespace (the webhook's certificate rotation or cert-manager writes it).</summary>
    public static async Task<X509Certificate2?> ServiceCertificateAsync(IKubernetes client, string ns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            var secrets = await client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            var pem = secrets.Items
                .Where(s => s.Data?.ContainsKey("tls.crt") == true)
                .OrderByDescending(s => s.Metadata?.Name?.Contains("cert", StringComparison.Ordinal) == true)
                .Select(s => Encoding.UTF8.GetString(s.Data["tls.crt"]))
                .FirstOrDefault();
            return pem is null ? null : X509Certificate2.CreateFromPem(pem);
        }
        catch (HttpOperationException)
        {
            return null;
        }
    }

    /// <summary>Whether the PEM <paramref name="caBundle"/> anchors a chain to <paramref name="served"/>.</summary>
    public static bool TrustedBy(byte[] caBundle, X509Certificate2 served)
    {
        ArgumentNullException.ThrowIfNull(caBundle);
        ArgumentNullException.ThrowIfNull(served);
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(Encoding.UTF8.GetString(caBundle));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return roots.Count > 0 && chain.Build(served);
    }
}
