using AzureWorkloadIdentity.Webhook.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AzureWorkloadIdentity.Webhook.Tests.Tls;

/// <summary>The webhook picks up new certificate files without a restart and survives a broken pair.</summary>
public sealed class ServingCertificateReloadTests
{
    [Fact(Timeout = 60_000)]
    public async Task Serve_FilesReplaced_NewCertificateServed()
    {
        await using var host = await WebhookHost.StartAsync();
        using var first = await host.ServedCertificateAsync(CancellationToken.None);

        using var replacement = host.Certificates.WriteServing();

        await WaitForServedAsync(host, replacement.Thumbprint);
        Assert.NotEqual(first.Thumbprint, replacement.Thumbprint);
    }

    [Fact(Timeout = 60_000)]
    public async Task Serve_SecretVolumeSymlinkSwap_NewCertificateServed()
    {
        await using var host = await WebhookHost.StartAsync(writeCertificate: false);
        using var first = host.Certificates.WriteServingAsSecretVolume();
        await WaitForServedAsync(host, first.Thumbprint);

        using var second = host.Certificates.WriteServingAsSecretVolume();

        await WaitForServedAsync(host, second.Thumbprint);
        using var served = await host.ServedCertificateAsync(CancellationToken.None);
        Assert.Equal(second.Thumbprint, served.Thumbprint);
        Assert.NotEqual(first.Thumbprint, served.Thumbprint);
    }

    [Fact(Timeout = 60_000)]
    public async Task Serve_BrokenPairWritten_KeepsPreviousCertificate()
    {
        await using var host = await WebhookHost.StartAsync();
        using var good = host.Certificates.WriteServing();
        await WaitForServedAsync(host, good.Thumbprint);

        await File.WriteAllTextAsync(Path.Combine(host.Certificates.Directory, "tls.key"), "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
        host.App.Services.GetService<AzureWorkloadIdentity.Webhook.Tls.ServingCertificate>()!.Reload();

        using var served = await host.ServedCertificateAsync(CancellationToken.None);
        Assert.Equal(good.Thumbprint, served.Thumbprint);
        var (response, review) = await AdmissionReviews.PostAsync(host.Client, "{}");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(review);
    }

    [Fact(Timeout = 60_000)]
    public async Task Serve_KeyOfAnotherPair_KeepsPreviousCertificate()
    {
        await using var host = await WebhookHost.StartAsync();
        using var good = host.Certificates.WriteServing();
        await WaitForServedAsync(host, good.Thumbprint);
        using var other = host.Certificates.Issue();

        await File.WriteAllTextAsync(Path.Combine(host.Certificates.Directory, "tls.key"), AzureWorkloadIdentity.Core.Certificates.CertificateAuthority.ExportKeyPem(other));
        host.App.Services.GetService<AzureWorkloadIdentity.Webhook.Tls.ServingCertificate>()!.Reload();

        using var served = await host.ServedCertificateAsync(CancellationToken.None);
        Assert.Equal(good.Thumbprint, served.Thumbprint);
    }

    private static async Task WaitForServedAsync(WebhookHost host, string thumbprint)
    {
        // Bounded wait for the watcher (or the 10 s poll) to pick the files up; no timing is asserted.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        while (true)
        {
            try
            {
                using var served = await host.ServedCertificateAsync(timeout.Token);
                if (served.Thumbprint == thumbprint)
                {
                    return;
                }
            }
            catch (System.Security.Authentication.AuthenticationException)
            {
                // No certificate loaded yet.
            }
            catch (IOException)
            {
                // Handshake refused while no certificate is loaded.
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
