using System.Net;
using System.Text;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Core.Certificates;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Webhook.Hosting;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AzureWorkloadIdentity.Sandbox.Quickstart;

/// <summary>
/// The real webhook, installed into the sandbox's cluster: started in-process with its own CA and serving
/// certificate, pointed at the sandbox's Kubernetes API and cloud, and registered through a
/// MutatingWebhookConfiguration carrying that CA, as the Helm chart would register it.
/// </summary>
public sealed class LocalWebhook : IAsyncDisposable
{
    public const string ConfigurationName = "azure-wi-webhook-mutating-webhook-configuration";

    private readonly WebApplication _app;
    private readonly CertificateAuthority _authority;

    private LocalWebhook(WebApplication app, CertificateAuthority authority, Uri url)
    {
        _app = app;
        _authority = authority;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<LocalWebhook> InstallAsync(SandboxHost host, IKubernetes client, CancellationToken cancellationToken)
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

        string[] args =
        [
            "--port", "0", "--health-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0",
            "--webhook-cert-dir", certificates, "--disable-cert-rotation", "--kubeconfig", host.KubeconfigPath, "--log-level", "warning",
        ];
        var environment = new Dictionary<string, string?>
        {
            [WorkloadIdentityEnvironment.TenantId] = host.Directory.TenantId,
            [WorkloadIdentityEnvironment.Environment] = CustomCloud.Name,
            [WorkloadIdentityEnvironment.EnvironmentFilePath] = host.CloudConfigurationPath,
        };
        var app = WebhookApplication.Build(args, environment);
        await app.StartAsync(cancellationToken);
        var endpoints = app.Services.GetRequiredService<ListenerEndpoints>();
        var webhook = new LocalWebhook(app, authority, new Uri($"https://127.0.0.1:{endpoints.Port(Listener.Webhook)}/mutate-v1-pod"));
        await WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{endpoints.Port(Listener.Health)}/readyz"), cancellationToken);
        await client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(webhook.Registration(), cancellationToken: cancellationToken);
        return webhook;
    }

    /// <summary>The registration the chart's opt-in mode creates, with a URL instead of a Service.</summary>
    private V1MutatingWebhookConfiguration Registration() => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "MutatingWebhookConfiguration",
        Metadata = new V1ObjectMeta { Name = ConfigurationName },
        Webhooks =
        [
            new V1MutatingWebhook
            {
                Name = "mutation.azure-workload-identity.io",
                AdmissionReviewVersions = ["v1", "v1beta1"],
                ClientConfig = new Admissionregistrationv1WebhookClientConfig
                {
                    Url = Url.ToString(),
                    CaBundle = Encoding.UTF8.GetBytes(_authority.CertificatePem),
                },
                Rules =
                [
                    new V1RuleWithOperations
                    {
                        ApiGroups = [""], ApiVersions = ["v1"], Operations = ["CREATE"], Resources = ["pods"],
                    },
                ],
                FailurePolicy = "Fail",
                SideEffects = "None",
                TimeoutSeconds = 5,
                ReinvocationPolicy = "IfNeeded",
                NamespaceSelector = new V1LabelSelector
                {
                    MatchExpressions =
                    [
                        new V1LabelSelectorRequirement { Key = "kubernetes.io/metadata.name", OperatorProperty = "NotIn", Values = ["kube-system"] },
                    ],
                },
            },
        ],
    };

    private static async Task WaitUntilReadyAsync(Uri readyz, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
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
            catch (HttpRequestException) when (DateTimeOffset.UtcNow < deadline)
            {
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException($"the webhook was not ready within 20 s ({readyz})");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _authority.Dispose();
    }
}
