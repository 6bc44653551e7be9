using System.Net;
using AzureWorkloadIdentity.Webhook.KubernetesApi;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// One reconcile pass: read the Secret and the MutatingWebhookConfiguration, write the Secret if the plan changes
/// it (only if its resourceVersion is still the one read, so two replicas never both write), put the CA bundle
/// into every <c>webhooks[*].clientConfig.caBundle</c> (also repairing an overwritten one) and, in local mode,
/// the files into the cert dir. A conflict restarts the pass from fresh reads.
/// </summary>
public sealed class CertificateRotator(
    KubernetesApiClient client,
    CertificateRotationOptions options,
    CertificateRotationState state,
    TimeProvider timeProvider,
    ILogger<CertificateRotator> logger)
{
    private const int MaxAttempts = 5;

    private string SecretPath => KubernetesApiClient.Path("api", "v1", "namespaces", options.Namespace, "secrets", options.SecretName);

    private string WebhookConfigurationPath =>
        KubernetesApiClient.Path("apis", "admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", options.WebhookConfigurationName);

    public bool WritesFiles { get; init; }

    /// <summary>Runs one pass; returns the Secret content now in force. Throws <see cref="CertificateRotationException"/>.</summary>
    public async Task<CertificateMaterial> ReconcileAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReconcileOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict)
            {
                if (attempt == MaxAttempts)
                {
                    throw new CertificateRotationException(
                        $"secret {options.Namespace}/{options.SecretName} or webhook configuration {options.WebhookConfigurationName} changed under every one of {MaxAttempts} attempts; another writer keeps changing them",
                        exception);
                }

                CertificateRotationLog.SecretConflict(logger, options.Namespace, options.SecretName);
            }
        }
    }

    private async Task<CertificateMaterial> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        var secret = await ReadOrCreateSecretAsync(cancellationToken).ConfigureAwait(false);
        var configuration = await ReadWebhookConfigurationAsync(cancellationToken).ConfigureAwait(false);
        var webhooks = configuration.Webhooks ?? [];
        if (webhooks.Count == 0)
        {
            throw new CertificateRotationException(
                $"MutatingWebhookConfiguration {options.WebhookConfigurationName} has no webhooks to inject the CA bundle into; reinstall the chart");
        }

        var trustedByAll = webhooks
            .Select(webhook => CertificateInspector.Thumbprints(CertificateInspector.ParseBundle(BundleText(webhook))))
            .Aggregate((left, right) => left.Intersect(right, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal));

        var trustedCas = CertificateInspector.ParseBundle(BundleText(webhooks[0]))
            .Where(ca => trustedByAll.Contains(ca.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)))
            .ToList();
        var plan = CertificatePlanner.Plan(CertificateMaterial.FromSecretData(secret.Data), options, timeProvider.GetUtcNow(), trustedByAll, trustedCas);
        if (plan.Changed)
        {
            secret.Data = plan.Material.ToSecretData();
            await CallAsync("update", $"secret {options.Namespace}/{options.SecretName}",
                () => client.ReplaceAsync(SecretPath, secret, KubernetesApiJsonContext.Default.V1Secret, cancellationToken)).ConfigureAwait(false);
            CertificateRotationLog.SecretUpdated(logger, options.Namespace, options.SecretName, string.Join("; ", plan.Reasons));
        }

        var bundle = plan.Material.CaBundleBytes;
        if (IsStale(configuration, bundle))
        {
            foreach (var webhook in webhooks)
            {
                webhook.ClientConfig ??= new Admissionregistrationv1WebhookClientConfig();
                webhook.ClientConfig.CaBundle = bundle;
            }

            configuration = await CallAsync("update", $"mutatingwebhookconfiguration {options.WebhookConfigurationName}",
                () => client.ReplaceAsync(WebhookConfigurationPath, configuration, KubernetesApiJsonContext.Default.V1MutatingWebhookConfiguration, cancellationToken)).ConfigureAwait(false);
            CertificateRotationLog.CaBundleInjected(logger, webhooks.Count, options.WebhookConfigurationName);
        }

        state.Reconciled(bundle, [.. (configuration.Webhooks ?? []).Select(webhook => CertificateInspector.ParseBundle(BundleText(webhook)))]);
        if (WritesFiles && CertificateFiles.Write(options.CertDir, plan.Material))
        {
            CertificateRotationLog.FilesWritten(logger, options.CertDir);
        }

        return plan.Material;
    }

    private async Task<V1Secret> ReadOrCreateSecretAsync(CancellationToken cancellationToken)
    {
        var what = $"secret {options.Namespace}/{options.SecretName}";
        try
        {
            return await client.GetAsync(SecretPath, KubernetesApiJsonContext.Default.V1Secret, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // The chart creates it empty; create it when running without the chart (local mode, kubectl apply
            // of a partial manifest). Another replica creating it first is a conflict: the pass restarts.
            var created = await CallAsync("create", what, () => client.CreateAsync(
                KubernetesApiClient.Path("api", "v1", "namespaces", options.Namespace, "secrets"),
                new V1Secret
                {
                    ApiVersion = "v1",
                    Kind = "Secret",
                    Metadata = new V1ObjectMeta { Name = options.SecretName, NamespaceProperty = options.Namespace },
                    Type = "Opaque",
                },
                KubernetesApiJsonContext.Default.V1Secret,
                cancellationToken)).ConfigureAwait(false);
            CertificateRotationLog.SecretCreated(logger, options.Namespace, options.SecretName);
            return created;
        }
        catch (HttpOperationException exception)
        {
            throw Describe(exception, "get", what);
        }
    }

    private async Task<V1MutatingWebhookConfiguration> ReadWebhookConfigurationAsync(CancellationToken cancellationToken)
    {
        var what = $"mutatingwebhookconfiguration {options.WebhookConfigurationName}";
        return await CallAsync("get", what,
            () => client.GetAsync(WebhookConfigurationPath, KubernetesApiJsonContext.Default.V1MutatingWebhookConfiguration, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<T> CallAsync<T>(string verb, string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode != HttpStatusCode.Conflict)
        {
            throw Describe(exception, verb, what);
        }
    }

    private static CertificateRotationException Describe(HttpOperationException exception, string verb, string what)
    {
        var status = exception.Response.StatusCode;
        var hint = status switch
        {
            HttpStatusCode.Forbidden => $"; the webhook's service account may not {verb} {what}: check the Role/ClusterRole of the chart (or install it with the chart)",
            HttpStatusCode.NotFound => $"; {what} does not exist: install the chart (or kubectl apply deploy/azure-wi-webhook.yaml) in this namespace, or set {CertificateRotationOptions.SectionName}:* to the names you use",
            _ => string.Empty,
        };
        return new CertificateRotationException($"cannot {verb} {what}: HTTP {(int)status} {status}{hint}", exception);
    }

    /// <summary>True when some webhook's caBundle differs from <paramref name="bundle"/>.</summary>
    public static bool IsStale(V1MutatingWebhookConfiguration configuration, byte[] bundle)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return (configuration.Webhooks ?? []).Any(webhook =>
            webhook.ClientConfig?.CaBundle is not { } existing || !existing.AsSpan().SequenceEqual(bundle));
    }

    private static string? BundleText(V1MutatingWebhook webhook) =>
        webhook.ClientConfig?.CaBundle is { Length: > 0 } bytes ? System.Text.Encoding.ASCII.GetString(bytes) : null;
}
