using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Webhook.Certificates;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>
/// The webhook with its own certificate management, on the real clock with lifetimes short enough that renewals
/// and CA rollovers happen during the test.
/// </summary>
public sealed class CertificateRotationEndToEndTests
{
    [Fact(Timeout = 90_000)]
    public async Task Run_ServerRenewals_ReadyAndNoFailedHandshake()
    {
        await using var cluster = await SandboxCluster.StartAsync(webhooks: 1);
        await using var webhook = await RotatingWebhook.StartAsync(cluster, new Dictionary<string, string>
        {
            ["ReconcileInterval"] = "00:00:00.500",
            // Certificates are backdated by an hour, so a 2 h lifetime leaves 1 h: renewal is due seconds after each issue.
            ["ServerValidity"] = "02:00:00",
            ["ServerRenewBefore"] = "00:59:57",
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await webhook.WaitUntilAsync(() => webhook.IsReadyAsync(timeout.Token), timeout.Token);
        var first = await webhook.ServedThumbprintAsync(timeout.Token);

        using var client = new HttpClient(ValidatingLikeTheApiServer(cluster)) { Timeout = TimeSpan.FromSeconds(20) };
        using var stopCalls = new CancellationTokenSource();
        var calls = Task.Run(async () =>
        {
            var (succeeded, failures) = (0, new List<string>());
            while (!stopCalls.IsCancellationRequested)
            {
                try
                {
                    // A new connection each time, so every call is a TLS handshake.
                    using var request = new HttpRequestMessage(HttpMethod.Post, webhook.MutateUri) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
                    request.Headers.ConnectionClose = true;
                    using var response = await client.SendAsync(request, timeout.Token);
                    succeeded++;
                }
                catch (HttpRequestException exception)
                {
                    failures.Add(exception.InnerException?.Message ?? exception.Message);
                }
            }

            return (succeeded, failures);
        });

        // Two renewals reach the listener while the client calls.
        await webhook.WaitUntilAsync(async () => await webhook.ServedThumbprintAsync(timeout.Token) != first, timeout.Token);
        var second = await webhook.ServedThumbprintAsync(timeout.Token);
        await webhook.WaitUntilAsync(async () => await webhook.ServedThumbprintAsync(timeout.Token) is var now && now != first && now != second, timeout.Token);
        await stopCalls.CancelAsync();
        var (succeeded, failures) = await calls;

        Assert.True(succeeded > 0, "the client reached the webhook");
        Assert.Empty(failures);
    }

    [Fact(Timeout = 90_000)]
    public async Task Run_CaRollovers_ApiServerAdmitsEveryPodThroughTheWebhook()
    {
        var serverOptions = new KubernetesApiServerOptions();
        serverOptions.Admission.Add(new MutatingWebhookAdmission());
        await using var cluster = await SandboxCluster.StartAsync(serverOptions, createConfiguration: false);
        await using var webhook = await RotatingWebhook.StartAsync(cluster, new Dictionary<string, string>
        {
            ["ReconcileInterval"] = "00:00:00.500",
            // Backdated by an hour: a 3 h CA has 2 h left, so it rolls over seconds after each issue; server
            // certificates follow it.
            ["CaValidity"] = "03:00:00",
            ["CaRenewBefore"] = "01:59:52",
            ["ServerValidity"] = "02:00:00",
            ["ServerRenewBefore"] = "00:30:00",
        });
        webhook.Lookup.Add(new ServiceAccountIdentity("default", "default",
            new Dictionary<string, string>(), new Dictionary<string, string> { [WorkloadIdentityAnnotations.ClientId] = "client-1" }));
        // Strict mode and failurePolicy Fail: a pod is only created if the API server could call the webhook.
        var configuration = SandboxCluster.Configuration(1);
        var hook = configuration.Webhooks[0];
        hook.ClientConfig.Service = null;
        hook.ClientConfig.Url = webhook.MutateUri.ToString();
        hook.FailurePolicy = "Fail";
        hook.TimeoutSeconds = 10;
        hook.Rules = [new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Operations = ["CREATE"], Resources = ["pods"] }];
        hook.ObjectSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [WorkloadIdentityLabels.Use] = "true" } };
        await cluster.Client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(configuration);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(70));
        await webhook.WaitUntilAsync(() => webhook.IsReadyAsync(timeout.Token), timeout.Token);

        var signingCas = new HashSet<string>();
        var created = 0;
        while (signingCas.Count < 3)
        {
            var pod = await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pod($"pod-{created++}"), "default", cancellationToken: timeout.Token);
            Assert.Contains(pod.Spec.Containers[0].Env ?? [], env => env.Name == "AZURE_CLIENT_ID" && env.Value == "client-1");
            var bundle = CertificateInspector.ParseBundle(Encoding.ASCII.GetString((await cluster.SecretAsync()).Data["ca.crt"]));
            signingCas.Add(bundle[0].Thumbprint);
        }

        Assert.True(created >= 3);
    }

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [WorkloadIdentityLabels.Use] = "true" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "example.com/app:1" }] },
    };

    // Validates as the API server does: the chain must end in the webhook configuration's caBundle, read for each
    // handshake, and the name must be the service's.
    private static SocketsHttpHandler ValidatingLikeTheApiServer(SandboxCluster cluster) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            TargetHost = "wi-webhook.wi-system.svc",
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                var bundle = cluster.Client.AdmissionregistrationV1.ReadMutatingWebhookConfiguration("wi-mwc").Webhooks[0].ClientConfig.CaBundle;
                using var served = new X509Certificate2(certificate);
                return served.MatchesHostname("wi-webhook.wi-system.svc", allowWildcards: false, allowCommonName: false)
                    && CertificateInspector.ChainsTo(served, CertificateInspector.ParseBundle(Encoding.ASCII.GetString(bundle)), DateTimeOffset.UtcNow);
            },
        },
        PooledConnectionLifetime = TimeSpan.Zero,
    };
}
