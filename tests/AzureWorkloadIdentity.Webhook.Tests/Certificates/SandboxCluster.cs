using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Webhook.Certificates;
using AzureWorkloadIdentity.Webhook.KubernetesApi;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AzureWorkloadIdentity.Webhook.Tests.Certificates;

/// <summary>The sandbox Kubernetes API with the webhook's MutatingWebhookConfiguration, and rotators against it.</summary>
internal sealed class SandboxCluster : IAsyncDisposable
{
    private SandboxCluster(KubernetesApiServer server, DateTimeOffset start)
    {
        Server = server;
        Client = SandboxClients.Create(server);
        Api = SandboxClients.CreateApi(server);
        Time = new FakeTimeProvider(start);
    }

    public KubernetesApiServer Server { get; }

    /// <summary>A typed client for arranging and inspecting the cluster.</summary>
    public IKubernetes Client { get; }

    /// <summary>The webhook's connection, for the rotator and the watch under test.</summary>
    public KubernetesApiClient Api { get; }

    /// <summary>The rotators' clock (the API server keeps real time).</summary>
    public FakeTimeProvider Time { get; }

    public static async Task<SandboxCluster> StartAsync(KubernetesApiServerOptions? serverOptions = null, int webhooks = 2, bool createConfiguration = true, DateTimeOffset? start = null)
    {
        var server = await KubernetesApiServer.StartAsync(serverOptions);
        var cluster = new SandboxCluster(server, start ?? CertificateTestData.Start);
        if (createConfiguration)
        {
            await cluster.Client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(Configuration(webhooks));
        }

        return cluster;
    }

    public static V1MutatingWebhookConfiguration Configuration(int webhooks) => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "MutatingWebhookConfiguration",
        Metadata = new V1ObjectMeta { Name = "wi-mwc" },
        Webhooks = [.. Enumerable.Range(0, webhooks).Select(i => new V1MutatingWebhook
        {
            Name = $"mutation{i}.azure-workload-identity.io",
            AdmissionReviewVersions = ["v1"],
            SideEffects = "None",
            ClientConfig = new Admissionregistrationv1WebhookClientConfig
            {
                Service = new Admissionregistrationv1ServiceReference { Name = "wi-webhook", NamespaceProperty = "wi-system", Path = "/mutate-v1-pod" },
            },
        })],
    };

    public CertificateRotator Rotator(CertificateRotationState? state = null, CertificateRotationOptions? options = null, bool writeFiles = false) =>
        new(Api, options ?? CertificateTestData.Options(), state ?? new CertificateRotationState(), Time, NullLogger<CertificateRotator>.Instance)
        {
            WritesFiles = writeFiles,
        };

    public CertificateRotationWatch Watch(CertificateRotationOptions options, CertificateRotationState state) =>
        new(new NamedObjectWatch(Api, options, Time, NullLogger<NamedObjectWatch>.Instance), options, state);

    public async Task<V1Secret> SecretAsync() => await Client.CoreV1.ReadNamespacedSecretAsync("wi-cert", "wi-system");

    public async Task<V1MutatingWebhookConfiguration> ConfigurationAsync() =>
        await Client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync("wi-mwc");

    /// <summary>Overwrites every caBundle, as a re-applied manifest or another tool would.</summary>
    public async Task OverwriteCaBundleAsync(byte[]? bundle)
    {
        var configuration = await ConfigurationAsync();
        foreach (var webhook in configuration.Webhooks)
        {
            webhook.ClientConfig.CaBundle = bundle;
        }

        await Client.AdmissionregistrationV1.ReplaceMutatingWebhookConfigurationAsync(configuration, "wi-mwc");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Api.Dispose();
        await Server.DisposeAsync();
    }
}
