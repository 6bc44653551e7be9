using System.Security.Cryptography.X509Certificates;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// What the last reconcile or watch event saw: the caBundle of every webhook in the configuration, and why the
/// last reconcile failed if it did. Readiness and the serving-certificate guard read this instead of calling the
/// API server on every probe or handshake, so an API-server hiccup does not take every replica out of service at once.
/// </summary>
public sealed class CertificateRotationState
{
    private volatile Snapshot _current = new([], "certificate rotation has not run yet");
    private volatile byte[]? _desiredBundle;

    /// <summary>Raised after the observed caBundles changed (from a reconcile or a watch event).</summary>
    public event Action? BundlesChanged;

    /// <summary>The caBundle of each webhook entry as last read (empty until the first reconcile).</summary>
    public IReadOnlyList<X509Certificate2Collection> WebhookCaBundles => _current.Bundles;

    /// <summary>Why the last reconcile did not complete, or null.</summary>
    public string? LastError => _current.Error;

    /// <summary>The caBundle the last successful reconcile put in place, or null before the first.</summary>
    public byte[]? DesiredBundle => _desiredBundle;

    /// <summary>Records the caBundles as read (a watch event keeps the last reconcile's error, a reconcile clears it).</summary>
    public void Observed(IReadOnlyList<X509Certificate2Collection> bundles) => Observed(bundles, _current.Error);

    public void Reconciled(byte[] bundle, IReadOnlyList<X509Certificate2Collection> observed)
    {
        _desiredBundle = bundle;
        Observed(observed, null);
    }

    private void Observed(IReadOnlyList<X509Certificate2Collection> bundles, string? error)
    {
        var previous = _current.Bundles;
        _current = new Snapshot(bundles, error);
        if (!SameThumbprints(previous, bundles))
        {
            BundlesChanged?.Invoke();
        }
    }

    /// <summary>Records a failure; the previously observed bundles stay.</summary>
    public void Failed(string error) => _current = new Snapshot(_current.Bundles, error);

    /// <summary>The index of the first webhook whose observed caBundle does not trust the certificate, or null.</summary>
    public int? FirstUntrustingWebhook(X509Certificate2 certificate, DateTimeOffset now)
    {
        var bundles = _current.Bundles;
        for (var i = 0; i < bundles.Count; i++)
        {
            if (!CertificateInspector.ChainsTo(certificate, bundles[i], now))
            {
                return i;
            }
        }

        return null;
    }

    private static bool SameThumbprints(IReadOnlyList<X509Certificate2Collection> left, IReadOnlyList<X509Certificate2Collection> right) =>
        left.Count == right.Count
        && left.Zip(right).All(pair => CertificateInspector.Thumbprints(pair.First).SetEquals(CertificateInspector.Thumbprints(pair.Second)));

    private sealed record Snapshot(IReadOnlyList<X509Certificate2Collection> Bundles, string? Error);
}
