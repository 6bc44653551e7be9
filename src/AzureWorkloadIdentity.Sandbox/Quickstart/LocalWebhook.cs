using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Core.Certificates;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>
/// The real webhook, installed into the sandbox's cluster: the built <c>webhook</c> program started as its own process
/// with its own CA and serving certificate, pointed at the sandbox's Kubernetes API (kubeconfig) and cloud
/// (AZURE_ENVIRONMENT_FILEPATH), and registered through a MutatingWebhookConfiguration carrying that CA, as the Helm
/// chart would register it.
/// </summary>
public sealed class LocalWebhook : IAsyncDisposable
{
    public const string ConfigurationName = "azure-wi-webhook-mutating-webhook-configuration";

    /// <summary>The webhook's workload warnings endpoint (the webhook's WorkloadsEndpoint.Path; the sandbox does not reference it).</summary>
    public const string WorkloadsPath = "/warn-v1-workloads";

    private readonly LocalProcess _process;
    private readonly CertificateAuthority _authority;

    private LocalWebhook(LocalProcess process, CertificateAuthority authority, Uri url)
    {
        _process = process;
        _authority = authority;
        Url = url;
    }

    public Uri Url { get; }

    /// <param name="arguments">Further webhook flags, e.g. <c>--proxy-sidecar-mode=container</c>.</param>
    public static async Task<LocalWebhook> InstallAsync(SandboxHost host, IKubernetes client, CancellationToken cancellationToken, IReadOnlyList<string>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(client);
        var certificates = Path.Combine(host.WorkDirectory, "webhook-certs");
        System.IO.Directory.CreateDirectory(certificates);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        var authority = CertificateAuthority.Create("azure-wi-webhook-ca", now, TimeSpan.FromDays(1));
        using (var serving = authority.IssueServerCertificate(["localhost"], [IPAddress.Loopback], now, TimeSpan.FromDays(1)))
        {
            await File.WriteAllTextAsync(Path.Combine(certificates, "tls.crt"), serving.ExportCertificatePem(), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(certificates, "tls.key"), CertificateAuthority.ExportKeyPem(serving), cancellationToken);
        }

        // Free ports are picked before the webhook binds them: with tests in parallel another process can take one in
        // between, so a start that fails with "address already in use" is tried again on new ports.
        LocalWebhook webhook;
        for (var attempt = 1; ; attempt++)
        {
            var (port, health, metrics) = (FreePort(), FreePort(), FreePort());
            var start = new ProcessStartInfo("dotnet");
            string[] webhookArguments =
            [
                RepositoryPrograms.FindWebhook(), "--port", port.ToString(CultureInfo.InvariantCulture),
                "--health-addr", $"127.0.0.1:{health}", "--metrics-addr", $"127.0.0.1:{metrics}",
                "--webhook-cert-dir", certificates, "--disable-cert-rotation", "--kubeconfig", host.KubeconfigPath, "--log-level", "warning",
                .. arguments ?? [],
            ];
            foreach (var argument in webhookArguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment[WorkloadIdentityEnvironment.TenantId] = host.Directory.TenantId;
            start.Environment[WorkloadIdentityEnvironment.Environment] = CustomCloud.Name;
            start.Environment[WorkloadIdentityEnvironment.EnvironmentFilePath] = host.CloudConfigurationPath;
            var process = new LocalProcess("webhook", start, []);
            webhook = new LocalWebhook(process, authority, new Uri($"https://127.0.0.1:{port}/mutate-v1-pod"));
            try
            {
                await WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{health}/readyz"), process, cancellationToken);
                break;
            }
            catch (InvalidOperationException) when (attempt < 3 && process.Log.Any(l => l.Contains("address already in use", StringComparison.OrdinalIgnoreCase)))
            {
                // Only the process is replaced: the CA (and the serving certificate it signed) serve the next attempt.
                await process.DisposeAsync();
            }
            catch
            {
                await webhook.DisposeAsync();
                throw;
            }
        }

        await client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(webhook.Registration(), cancellationToken: cancellationToken);
        return webhook;
    }

    /// <summary>
    /// The registration the chart's opt-in mode creates, with URLs instead of a Service: the pod entry and the
    /// workload warnings entry (always Ignore: it only warns).
    /// </summary>
    private V1MutatingWebhookConfiguration Registration() => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "MutatingWebhookConfiguration",
        Metadata = new V1ObjectMeta { Name = ConfigurationName },
        Webhooks =
        [
            Entry("mutation.azure-workload-identity.io", Url, "Fail", 5, "IfNeeded",
                new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Operations = ["CREATE"], Resources = ["pods"] }),
            Entry("workloads.azure-workload-identity.io", new Uri(Url, WorkloadsPath), "Ignore", 2, "Never",
                new V1RuleWithOperations
                {
                    ApiGroups = ["apps"], ApiVersions = ["v1"], Operations = ["CREATE", "UPDATE"],
                    Resources = ["deployments", "statefulsets", "daemonsets", "replicasets"],
                },
                new V1RuleWithOperations { ApiGroups = ["batch"], ApiVersions = ["v1"], Operations = ["CREATE", "UPDATE"], Resources = ["jobs", "cronjobs"] }),
        ],
    };

    private V1MutatingWebhook Entry(string name, Uri url, string failurePolicy, int timeoutSeconds, string reinvocationPolicy, params V1RuleWithOperations[] rules) => new()
    {
        Name = name,
        AdmissionReviewVersions = ["v1", "v1beta1"],
        ClientConfig = new Admissionregistrationv1WebhookClientConfig
        {
            Url = url.ToString(),
            CaBundle = Encoding.UTF8.GetBytes(_authority.CertificatePem),
        },
        Rules = rules,
        FailurePolicy = failurePolicy,
        SideEffects = "None",
        TimeoutSeconds = timeoutSeconds,
        ReinvocationPolicy = reinvocationPolicy,
        NamespaceSelector = new V1LabelSelector
        {
            MatchExpressions =
            [
                new V1LabelSelectorRequirement { Key = "kubernetes.io/metadata.name", OperatorProperty = "NotIn", Values = ["kube-system"] },
            ],
        },
    };

    /// <summary>The webhook's log so far (start-up problems, admissions at warning level and above).</summary>
    public IReadOnlyList<string> Log => _process.Log;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilReadyAsync(Uri readyz, LocalProcess process, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        // Generous: the webhook is a .NET process starting on a machine that may be running several test suites.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(readyz, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet, or (on a loaded machine) too slow to answer one probe within its 2 s: try again
                // until the deadline below.
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException("the webhook exited during start-up:\n" + string.Join('\n', process.Log));
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException($"the webhook was not ready within 60 s ({readyz}):\n" + string.Join('\n', process.Log));
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _authority.Dispose();
    }
}
