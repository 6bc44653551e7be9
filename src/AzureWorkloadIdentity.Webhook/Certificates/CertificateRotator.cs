using System.Net;
using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Webhook.KubernetesApi;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// One reconcile pass: read the Secret and the MutatingWebhookConfiguration, write the Secret if the plan changes
/// it (only if its resourceVersion is still the one read, so two replicas never both write), put the CA bundle
/// into every <c>webhooks[*].clientConfig.caBundle</c> (also repairing an overwritten one) together with this
/// replica's <see cref="ServingRecord"/> and, in local mode, the files into the cert dir. A conflict restarts the
/// pass from fresh reads.
/// </summary>
internal sealed class CertificateRotator(
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

    /// <summary>The certificate this replica serves now, or null (then it keeps no <see cref="ServingRecord"/>).</summary>
    public Func<X509Certificate2?> Served { get; init; } = () => null;

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
        var now = timeProvider.GetUtcNow();
        var current = CertificateMaterial.FromSecretData(secret.Data);
        configuration.Metadata ??= new V1ObjectMeta();
        var recordsChanged = UpdateRecords(configuration.Metadata, [.. CertificateInspector.ParseBundle(current.CaBundlePem), .. trustedCas], now);
        var casInUse = ServingRecord.CasInUse(ServingRecord.Live(configuration.Metadata.Annotations, now, options.ServingRecordLifetime).Values);
        var plan = CertificatePlanner.Plan(current, options, now, trustedByAll, trustedCas, casInUse);
        if (plan.Changed)
        {
            secret.Data = plan.Material.ToSecretData();
            await CallAsync("update", $"secret {options.Namespace}/{options.SecretName}",
                () => client.ReplaceAsync(SecretPath, secret, KubernetesApiJsonContext.Default.V1Secret, cancellationToken)).ConfigureAwait(false);
            CertificateRotationLog.SecretUpdated(logger, options.Namespace, options.SecretName, string.Join("; ", plan.Reasons));
        }

        var bundle = plan.Material.CaBundleBytes;
        var stale = IsStale(configuration, bundle);
        if (stale || recordsChanged)
        {
            foreach (var webhook in webhooks)
            {
                webhook.ClientConfig ??= new Admissionregistrationv1WebhookClientConfig();
                webhook.ClientConfig.CaBundle = bundle;
            }

            configuration = await CallAsync("update", $"mutatingwebhookconfiguration {options.WebhookConfigurationName}",
                () => client.ReplaceAsync(WebhookConfigurationPath, configuration, KubernetesApiJsonContext.Default.V1MutatingWebhookConfiguration, cancellationToken)).ConfigureAwait(false);
            if (stale)
            {
                CertificateRotationLog.CaBundleInjected(logger, webhooks.Count, options.WebhookConfigurationName);
            }
        }

        state.Reconciled(bundle, CaBundles(configuration));
        if (WritesFiles && CertificateFiles.Write(options.CertDir, plan.Material))
        {
            CertificateRotationLog.FilesWritten(logger, options.CertDir);
        }

        return plan.Material;
    }

    /// <summary>
    /// Puts this replica's record into <paramref name="metadata"/> when what it serves changed or the record is due
    /// for refresh, and removes expired or unreadable records; true when the annotations changed.
    /// </summary>
    private bool UpdateRecords(V1ObjectMeta metadata, IReadOnlyList<X509Certificate2> knownCas, DateTimeOffset now)
    {
        var annotations = metadata.Annotations ?? new Dictionary<string, string>();
        var live = ServingRecord.Live(annotations, now, options.ServingRecordLifetime);
        var changed = false;
        foreach (var key in annotations.Keys.Where(key => key.StartsWith(ServingRecord.AnnotationPrefix, StringComparison.Ordinal) && !live.ContainsKey(key)).ToList())
        {
            changed |= annotations.Remove(key);
        }

        if (Served() is { } served)
        {
            var key = ServingRecord.Key(options.ReplicaName ?? Environment.MachineName);
            var ca = knownCas.FirstOrDefault(ca => CertificateInspector.ChainsTo(served, [ca], now));
            var thumbprint = ca?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
            if (!live.TryGetValue(key, out var record) || record.CaThumbprint != thumbprint || now - record.At >= options.ServingRecordLifetime / 3)
            {
                annotations[key] = new ServingRecord(thumbprint, now).Format();
                changed = true;
            }
        }

        metadata.Annotations = annotations.Count > 0 ? annotations : null;
        return changed;
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

    /// <summary>The caBundle of every webhook entry, as the API server verifies handshakes against.</summary>
    public static IReadOnlyList<X509Certificate2Collection> CaBundles(V1MutatingWebhookConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return [.. (configuration.Webhooks ?? []).Select(webhook => CertificateInspector.ParseBundle(BundleText(webhook)))];
    }

    private static string? BundleText(V1MutatingWebhook webhook) =>
        webhook.ClientConfig?.CaBundle is { Length: > 0 } bytes ? System.Text.Encoding.ASCII.GetString(bytes) : null;
}
