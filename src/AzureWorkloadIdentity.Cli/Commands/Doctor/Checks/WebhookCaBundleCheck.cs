namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-WH-003: the configuration's <c>caBundle</c> trusts the certificate the webhook serves (the API server refuses the call otherwise).</summary>
internal sealed class WebhookCaBundleCheck : IDoctorCheck
{
    public string Code => DoctorCodes.WebhookCaBundle;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var registration = await context.PodWebhookAsync(cancellationToken).ConfigureAwait(false);
        var client = registration?.Webhook.ClientConfig;
        if (client is null || context.HasFailed(DoctorCodes.WebhookEndpoints))
        {
            return null;
        }

        const string Fix = "let the webhook's certificate rotation (or cert-manager's CA injector) write the caBundle again: restart the webhook pods, or reinstall the chart";
        if (client.CaBundle is not { Length: > 0 } bundle)
        {
            return DoctorFinding.Fail(Code, $"{registration!.ConfigurationName} has an empty caBundle: the API server cannot trust the webhook", Fix);
        }

        var (served, error) = client.Url is { Length: > 0 } url
            ? await WebhookProbe.HandshakeAsync(new Uri(url), cancellationToken).ConfigureAwait(false)
            : (await WebhookProbe.ServiceCertificateAsync(context.Kubernetes, client.Service?.NamespaceProperty ?? string.Empty, cancellationToken).ConfigureAwait(false), null);
        using (served)
        {
            if (served is null)
            {
                return DoctorFinding.Warn(Code, $"could not read the certificate the webhook serves{(error is null ? string.Empty : ": " + error)}", "check the webhook's serving secret and logs");
            }

            return WebhookProbe.TrustedBy(bundle, served)
                ? DoctorFinding.Pass(Code, $"the caBundle of {registration!.ConfigurationName} trusts the served certificate ({served.Subject})")
                : DoctorFinding.Fail(Code,
                    $"the caBundle of {registration!.ConfigurationName} does not trust the certificate the webhook serves ({served.Subject}, issued by {served.Issuer}): every call fails TLS",
                    Fix);
        }
    }
}
