using System.Security.Cryptography.X509Certificates;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// What the last reconcile saw: the caBundle of every webhook in the configuration, and why it failed if it did.
/// Readiness reads this instead of calling the API server on every probe, so an API-server hiccup does not take
/// every replica out of service at once.
/// </summary>
public sealed class CertificateRotationState
{
    private volatile Snapshot current = new([], "certificate rotation has not run yet");
    private volatile byte[]? desiredBundle;

    /// <summary>The caBundle of each webhook entry as last read (empty until the first reconcile).</summary>
    public IReadOnlyList<X509Certificate2Collection> WebhookCaBundles => current.Bundles;

    /// <summary>Why the last reconcile did not complete, or null.</summary>
    public string? LastError => current.Error;

    /// <summary>The caBundle the last successful reconcile put in place, or null before the first.</summary>
    public byte[]? DesiredBundle => desiredBundle;

    public void Observed(IReadOnlyList<X509Certificate2Collection> bundles) => current = new Snapshot(bundles, null);

    public void Reconciled(byte[] bundle, IReadOnlyList<X509Certificate2Collection> observed)
    {
        desiredBundle = bundle;
        Observed(observed);
    }

    /// <summary>Records a failure; the previously observed bundles stay.</summary>
    public void Failed(string error) => current = new Snapshot(current.Bundles, error);

    private sealed record Snapshot(IReadOnlyList<X509Certificate2Collection> Bundles, string? Error);
}
