using AzureWorkloadIdentity.Cli.Cloud;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>
/// Everything the checks of one run share: the target, the clients, and facts read once on first use (the service
/// account, the webhook configurations, the issuer, a service account token, the identity in Azure).
/// </summary>
internal sealed class DoctorContext(
    DoctorTarget target, k8s.Kubernetes kubernetes, CliServices services, CloudSettings cloud,
    Func<CancellationToken, Task<AzureConnection>> connectAzure, bool exchange)
{
    private readonly List<DoctorFinding> _findings = [];
    private V1ServiceAccount? _serviceAccount;
    private bool _serviceAccountRead;
    private IReadOnlyList<WebhookRegistration>? _webhooks;
    private ClusterIssuer? _issuer;
    private ServiceAccountToken? _token;
    private Task<AzureConnection>? _azure;
    private IdentityRecord? _identity;
    private bool _identityRead;

    public DoctorTarget Target { get; } = target;

    public k8s.Kubernetes Kubernetes { get; } = kubernetes;

    public CliServices Services { get; } = services;

    /// <summary>The cloud of <c>--azure-env</c>: its Entra ID authority performs the <c>--exchange</c>.</summary>
    public CloudSettings Cloud { get; } = cloud;

    /// <summary>Whether <c>--exchange</c> asked for the real token exchange.</summary>
    public bool Exchange { get; } = exchange;

    public IReadOnlyList<DoctorFinding> Findings => _findings;

    /// <summary>An HTTP handler with the system's trust (or the test's), as Entra ID would see public endpoints.</summary>
    public HttpMessageHandler CreateHandler() => Oidc.VerifyCommand.CreateHandler(Services);

    /// <summary>The registration that receives pod CREATEs, or null (WI-WH-001 reports that).</summary>
    public async Task<WebhookRegistration?> PodWebhookAsync(CancellationToken cancellationToken) =>
        (await WebhooksAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(w => w.ReceivesPodCreates);

    public void Add(DoctorFinding finding) => _findings.Add(finding);

    /// <summary>Whether an earlier check with <paramref name="code"/> failed (later checks that depend on it stay silent).</summary>
    public bool HasFailed(string code) => _findings.Any(f => f.Code == code && f.Status == DoctorStatus.Failed);

    /// <summary>The target's service account, or null when it does not exist.</summary>
    public async Task<V1ServiceAccount?> ServiceAccountAsync(CancellationToken cancellationToken)
    {
        if (!_serviceAccountRead)
        {
            try
            {
                _serviceAccount = await Kubernetes.CoreV1.ReadNamespacedServiceAccountAsync(
                    Target.ServiceAccountName, Target.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                _serviceAccount = null;
            }

            _serviceAccountRead = true;
        }

        return _serviceAccount;
    }

    /// <summary>The webhooks of every configuration that registers ours (by webhook name).</summary>
    public async Task<IReadOnlyList<WebhookRegistration>> WebhooksAsync(CancellationToken cancellationToken) =>
        _webhooks ??= await WebhookRegistration.ListAsync(Kubernetes, cancellationToken).ConfigureAwait(false);

    public async Task<ClusterIssuer> IssuerAsync(CancellationToken cancellationToken) =>
        _issuer ??= await ClusterIssuer.ReadAsync(Kubernetes, cancellationToken).ConfigureAwait(false);

    /// <summary>A token minted by TokenRequest as the pod's volume would get it (same audience and lifetime).</summary>
    public async Task<ServiceAccountToken> TokenAsync(CancellationToken cancellationToken) =>
        _token ??= await ServiceAccountToken.RequestAsync(Kubernetes, Target, cancellationToken).ConfigureAwait(false);

    public Task<AzureConnection> AzureAsync(CancellationToken cancellationToken) => _azure ??= connectAzure(cancellationToken);

    /// <summary>The application or user-assigned identity with the service account's client id; null when none exists.</summary>
    public async Task<IdentityRecord?> IdentityAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!_identityRead)
        {
            _identity = await IdentityRecord.FindAsync(await AzureAsync(cancellationToken).ConfigureAwait(false), clientId, cancellationToken).ConfigureAwait(false);
            _identityRead = true;
        }

        return _identity;
    }
}
