using System.Security.Cryptography.X509Certificates;
using AzureWorkloadIdentity.Webhook.Tls;

namespace AzureWorkloadIdentity.Webhook.Certificates;

/// <summary>
/// The replica guard: a new certificate from the Secret volume is served only once the live caBundle of every
/// webhook (as the configuration watch and the reconciles last saw it) trusts it; until then the previous one,
/// which that caBundle still trusts, keeps serving. Re-checked whenever the observed caBundles change.
/// </summary>
public sealed class CaBundleGuard : IServingCertificateGuard
{
    private readonly CertificateRotationState _state;
    private readonly TimeProvider _timeProvider;

    public CaBundleGuard(CertificateRotationState state, TimeProvider timeProvider)
    {
        _state = state;
        _timeProvider = timeProvider;
        state.BundlesChanged += () => Changed?.Invoke();
    }

    public event Action? Changed;

    public bool Accepts(X509Certificate2 candidate, out string reason)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (_state.WebhookCaBundles.Count == 0)
        {
            reason = "the webhook configuration's caBundle has not been read yet";
            return false;
        }

        if (_state.FirstUntrustingWebhook(candidate, _timeProvider.GetUtcNow()) is { } untrusting)
        {
            reason = $"the live caBundle of webhook #{untrusting} does not trust its CA yet; it is served once rotation has put that CA into the caBundle";
            return false;
        }

        reason = string.Empty;
        return true;
    }
}
