using System.Net;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Quickstart;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzureWorkloadIdentity.EndToEndTests;

/// <summary>
/// The original project's webhook scenarios, through the sandbox's API server: pods are created with the real
/// Kubernetes client, admitted by the real webhook over HTTPS, and stored mutated (or refused).
/// </summary>
public sealed class WebhookScenarioTests : IAsyncLifetime
{
    private const int Timeout = 60_000;
    private const string ClientId = "11111111-2222-3333-4444-555555555555";
    private SandboxHost _host = null!;
    private LocalWebhook _webhook = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _client = _host.Kubernetes.CreateClient();
        _webhook = await LocalWebhook.InstallAsync(_host, _client, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _webhook.DisposeAsync();
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact(Timeout = Timeout)]
    public async Task LabelledServiceAccount_LabelledPod_GetsEnvMountAndVolume()
    {
        var ns = await NamespaceWithAccountAsync(labels: true);

        var pod = await CreatePodAsync(ns, Pod(labelled: true));

        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(ClientId, Env(container, "AZURE_CLIENT_ID"));
        Assert.Equal(_host.Directory.TenantId, Env(container, "AZURE_TENANT_ID"));
        Assert.Equal("/var/run/secrets/azure/tokens/azure-identity-token", Env(container, "AZURE_FEDERATED_TOKEN_FILE"));
        Assert.Equal(_host.AuthorityHost.ToString(), Env(container, "AZURE_AUTHORITY_HOST"));
        Assert.Contains(container.VolumeMounts, m => m.Name == "azure-identity-token" && m.MountPath == "/var/run/secrets/azure/tokens" && m.ReadOnlyProperty == true);
        var volume = Assert.Single(pod.Spec.Volumes, v => v.Name == "azure-identity-token");
        var token = Assert.Single(volume.Projected.Sources).ServiceAccountToken;
        Assert.Equal("api://AzureADTokenExchange", token.Audience);
        Assert.Equal(3600, token.ExpirationSeconds);
    }

    [Fact(Timeout = Timeout)]
    public async Task AnnotatedServiceAccount_UnlabelledPod_MutatedWithWarningReachingTheClient()
    {
        var ns = await NamespaceWithAccountAsync(labels: false);

        using var response = await _client.CoreV1.CreateNamespacedPodWithHttpMessagesAsync(Pod(labelled: false), ns);

        Assert.Equal(ClientId, Env(response.Body.Spec.Containers[0], "AZURE_CLIENT_ID"));
        var warnings = response.Response.Headers.TryGetValues("Warning", out var values) ? string.Join(" ", values) : string.Empty;
        Assert.Contains("pod missing label 'azure.workload.identity/use: 'true''", warnings.Replace("\\\"", "'", StringComparison.Ordinal).Replace("\"", "'", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Deployment_LabelOnItsMetadataOnly_CreatedUnchangedWithWarningReachingTheClient()
    {
        var ns = await NamespaceWithAccountAsync(labels: true);
        var deployment = Deployment("web");
        deployment.Spec.Template.Metadata.Labels.Remove("azure.workload.identity/use");
        deployment.Metadata.Labels = new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" };

        using var response = await _client.AppsV1.CreateNamespacedDeploymentWithHttpMessagesAsync(deployment, ns);

        var warnings = response.Response.Headers.TryGetValues("Warning", out var values) ? string.Join(" ", values) : string.Empty;
        Assert.Contains("Deployment/web: label azure.workload.identity/use is on the Deployment's own metadata but not on its pod template", warnings, StringComparison.Ordinal);
        var stored = await _client.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, stored.Spec.Template.Metadata.Labels);
        Assert.Equal(new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" }, stored.Metadata.Labels);
        Assert.Null(stored.Metadata.Annotations);
        var container = Assert.Single(stored.Spec.Template.Spec.Containers);
        Assert.Null(container.Env);
        Assert.Null(stored.Spec.Template.Spec.Volumes);
    }

    [Fact(Timeout = Timeout)]
    public async Task CronJob_TemplateLabelNotTrue_CreatedWithWarningReachingTheClient()
    {
        var ns = await NamespaceWithAccountAsync(labels: true);
        var cronJob = new V1CronJob
        {
            Metadata = new V1ObjectMeta { Name = "nightly" },
            Spec = new V1CronJobSpec
            {
                Schedule = "0 3 * * *",
                JobTemplate = new V1JobTemplateSpec
                {
                    Spec = new V1JobSpec
                    {
                        Template = new V1PodTemplateSpec
                        {
                            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["azure.workload.identity/use"] = "True" } },
                            Spec = new V1PodSpec
                            {
                                ServiceAccountName = "workload",
                                RestartPolicy = "Never",
                                Containers = [new V1Container { Name = "job", Image = "busybox" }],
                            },
                        },
                    },
                },
            },
        };

        using var response = await _client.BatchV1.CreateNamespacedCronJobWithHttpMessagesAsync(cronJob, ns);

        var warnings = response.Response.Headers.TryGetValues("Warning", out var values) ? string.Join(" ", values) : string.Empty;
        var quoted = warnings.Replace("\\\"", "'", StringComparison.Ordinal).Replace("\"", "'", StringComparison.Ordinal);
        Assert.Contains("CronJob/nightly: label azure.workload.identity/use is 'True': only 'true' opts the pod in", quoted, StringComparison.Ordinal);
        Assert.Equal("True", (await _client.BatchV1.ReadNamespacedCronJobAsync("nightly", ns)).Spec.JobTemplate.Spec.Template.Metadata.Labels["azure.workload.identity/use"]);
    }

    [Fact(Timeout = Timeout)]
    public async Task InitContainers_AndSkipContainers_AreHonoured()
    {
        var ns = await NamespaceWithAccountAsync(labels: true);
        var pod = Pod(labelled: true);
        pod.Spec.InitContainers = [new V1Container { Name = "init", Image = "busybox" }];
        pod.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "busybox" });
        pod.Metadata.Annotations = new Dictionary<string, string> { ["azure.workload.identity/skip-containers"] = "sidecar" };

        var stored = await CreatePodAsync(ns, pod);

        Assert.Equal(ClientId, Env(stored.Spec.InitContainers[0], "AZURE_CLIENT_ID"));
        Assert.Equal(ClientId, Env(stored.Spec.Containers[0], "AZURE_CLIENT_ID"));
        Assert.Null(Env(stored.Spec.Containers[1], "AZURE_CLIENT_ID"));
        // The skipped sidecar gets no token mount from the webhook; its only mount is the API server's kube-api-access.
        Assert.DoesNotContain(stored.Spec.Containers[1].VolumeMounts ?? [], m => m.Name == "azure-identity-token");
    }

    [Theory(Timeout = Timeout)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DeploymentPods_MadeByTheControllers_AreMutated(bool labelledAccount)
    {
        var ns = await NamespaceWithAccountAsync(labels: labelledAccount);

        await _client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), ns);
        var pod = await WaitForAsync(async () =>
            (await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=web")).Items.SingleOrDefault());

        Assert.StartsWith("web-", pod.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("ReplicaSet", Assert.Single(pod.Metadata.OwnerReferences).Kind);
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(ClientId, Env(container, "AZURE_CLIENT_ID"));
        Assert.Equal("/var/run/secrets/azure/tokens/azure-identity-token", Env(container, "AZURE_FEDERATED_TOKEN_FILE"));
        Assert.Contains(pod.Spec.Volumes, v => v.Name == "azure-identity-token" && v.Projected.Sources[0].ServiceAccountToken.Audience == "api://AzureADTokenExchange");
    }

    [Fact(Timeout = Timeout)]
    public async Task DeploymentPods_RefusedByTheWebhook_ShowInTheReplicaSetsCondition()
    {
        var ns = await NamespaceWithAccountAsync(labels: true, extraAnnotation: ("azure.workload.identity/service-account-token-expiration", "100"));

        await _client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("refused"), ns);
        var failure = await WaitForAsync(async () =>
            (await _client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.SingleOrDefault()?.Status?.Conditions?.SingleOrDefault(c => c.Type == "ReplicaFailure"));

        Assert.Equal("FailedCreate", failure.Reason);
        Assert.Contains("admission webhook \"mutation.azure-workload-identity.io\" denied the request", failure.Message, StringComparison.Ordinal);
        Assert.Contains("100", failure.Message, StringComparison.Ordinal);
        Assert.Empty((await _client.CoreV1.ListNamespacedPodAsync(ns)).Items);
    }

    [Fact(Timeout = Timeout)]
    public async Task PodWithoutOptIn_IsStoredUnchanged()
    {
        var ns = await NamespaceWithAccountAsync(labels: false, annotateUse: false);

        var stored = await CreatePodAsync(ns, Pod(labelled: false));

        Assert.Null(stored.Spec.Containers[0].Env);
        Assert.DoesNotContain(stored.Spec.Volumes ?? [], v => v.Name == "azure-identity-token");
    }

    [Theory(Timeout = Timeout)]
    [InlineData("pod", "100")]
    [InlineData("pod", "invalid")]
    [InlineData("serviceaccount", "100")]
    [InlineData("serviceaccount", "invalid")]
    public async Task TokenExpirationOutOfRange_IsRejectedWithTheWebhooksMessage(string where, string value)
    {
        const string Annotation = "azure.workload.identity/service-account-token-expiration";
        var ns = await NamespaceWithAccountAsync(labels: true, extraAnnotation: where == "serviceaccount" ? (Annotation, value) : null);
        var pod = Pod(labelled: true);
        if (where == "pod")
        {
            pod.Metadata.Annotations = new Dictionary<string, string> { [Annotation] = value };
        }

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedPodAsync(pod, ns));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
        var message = System.Text.Json.Nodes.JsonNode.Parse(error.Response.Content)!["message"]!.GetValue<string>();
        Assert.Contains("admission webhook \"mutation.azure-workload-identity.io\" denied the request", message, StringComparison.Ordinal);
        Assert.Contains(value, message, StringComparison.Ordinal);
        Assert.Contains(where == "pod" ? "pod" : "service account", message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedPodAsync("app", ns));
    }

    [Fact(Timeout = Timeout)]
    public async Task PodOfMissingServiceAccount_IsRejectedByTheApiServer()
    {
        var pod = Pod(labelled: true);
        pod.Spec.ServiceAccountName = "nobody";

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedPodAsync(pod, "default"));

        Assert.Contains("nobody", error.Response.Content, StringComparison.Ordinal);
    }

    private async Task<string> NamespaceWithAccountAsync(bool labels, bool annotateUse = true, (string Key, string Value)? extraAnnotation = null)
    {
        var ns = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        var annotations = new Dictionary<string, string> { ["azure.workload.identity/client-id"] = ClientId };
        if (!labels && annotateUse)
        {
            annotations["azure.workload.identity/use"] = "true";
        }

        if (extraAnnotation is { } extra)
        {
            annotations[extra.Key] = extra.Value;
        }

        await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta
            {
                Name = "workload",
                Labels = labels ? new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" } : null,
                Annotations = annotations,
            },
        }, ns);
        return ns;
    }

    private async Task<V1Pod> CreatePodAsync(string ns, V1Pod pod) => await _client.CoreV1.CreateNamespacedPodAsync(pod, ns);

    private static V1Pod Pod(bool labelled) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "app",
            Labels = labelled ? new Dictionary<string, string> { ["azure.workload.identity/use"] = "true" } : null,
        },
        Spec = new V1PodSpec
        {
            ServiceAccountName = "workload",
            Containers = [new V1Container { Name = "main", Image = "busybox" }],
        },
    };

    private static V1Deployment Deployment(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = new Dictionary<string, string> { ["app"] = name, ["azure.workload.identity/use"] = "true" },
                },
                Spec = new V1PodSpec
                {
                    ServiceAccountName = "workload",
                    Containers = [new V1Container { Name = "busybox", Image = "busybox" }],
                },
            },
        },
    };

    /// <summary>Polls until the controllers have produced something (they work asynchronously, as in a cluster).</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the controllers produced nothing within 20 s");
    }

    private static string? Env(V1Container container, string name) => container.Env?.FirstOrDefault(e => e.Name == name)?.Value;
}
