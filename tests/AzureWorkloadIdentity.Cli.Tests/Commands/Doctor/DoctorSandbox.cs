using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Cli.Commands.Doctor;
using AzureWorkloadIdentity.Cli.Tests.Commands.ServiceAccount;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Sandbox.Hosting;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Primitives;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.Doctor;

/// <summary>
/// A sandbox (Entra ID, Graph, Resource Manager, issuer, Kubernetes API) with a healthy Quick Start set-up that a
/// test then breaks in exactly one place: an identity made by <c>azwi serviceaccount create</c>, a webhook
/// registration whose endpoint answers (a loopback stand-in that allows every pod; the pods are created already
/// mutated, as the real webhook would leave them — the end-to-end suite runs the real webhook), and a pod.
/// </summary>
internal sealed class DoctorSandbox : IAsyncDisposable
{
    public const string Ns = "demo";
    public const string Account = "workload-sa";
    public const string ConfigurationName = "azure-wi-webhook-mutating-webhook-configuration";

    private readonly SandboxCli _cli;
    private readonly List<IAsyncDisposable> _owned = [];
    private string? _issuer;

    private DoctorSandbox(SandboxCli cli, KubernetesApiServer cluster, string kubeconfig)
    {
        _cli = cli;
        Cluster = cluster;
        cli.UseKubeconfig(kubeconfig);
        Client = cluster.CreateClient();
    }

    public SandboxHost Host => _cli.Host;

    /// <summary>The cluster the doctor looks at: the sandbox's, or one with its own issuer (see <see cref="StartAsync"/>).</summary>
    public KubernetesApiServer Cluster { get; }

    public IKubernetes Client { get; }

    public LoopbackHttpsServer Webhook { get; private set; } = null!;

    /// <param name="signer">An issuer for a cluster of its own (the sandbox's cloud stays); null = the sandbox's cluster.</param>
    public static async Task<DoctorSandbox> StartAsync(Func<SandboxHost, IServiceAccountTokenSigner>? signer = null)
    {
        var cli = await SandboxCli.StartAsync();
        var host = cli.Host;
        DoctorSandbox sandbox;
        if (signer is null)
        {
            sandbox = new DoctorSandbox(cli, host.Kubernetes, host.KubeconfigPath);
        }
        else
        {
            var options = new KubernetesApiServerOptions { Tls = host.Tls, TokenSigner = signer(host) };
            var cluster = await KubernetesApiServer.StartAsync(options);
            sandbox = new DoctorSandbox(cli, cluster, cluster.WriteKubeconfig(Path.Combine(host.WorkDirectory, "own-cluster-kubeconfig")));
            sandbox._owned.Add(cluster);
            sandbox._issuer = options.TokenSigner.Issuer.OriginalString;
        }

        await sandbox.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
        sandbox.Webhook = await LoopbackHttpsServer.StartAsync(host.Tls, app => app.MapPost("/mutate-v1-pod", AllowAsync));
        sandbox._owned.Add(sandbox.Webhook);
        await sandbox.Client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(Registration(new Uri(sandbox.Webhook.BaseUri, "/mutate-v1-pod"), host.Tls.CaPem));
        return sandbox;
    }

    /// <summary>
    /// <c>azwi serviceaccount create</c> for <paramref name="account"/> (application, federated credential, annotated
    /// service account); the issuer is the cluster's unless given. Returns the client id.
    /// </summary>
    public async Task<string> CreateIdentityAsync(string account = Account, string? issuer = null)
    {
        var run = await RunAsync(Auth(
            "serviceaccount", "create", "--service-account-namespace", Ns, "--service-account-name", account,
            "--service-account-issuer-url", issuer ?? IssuerOfCluster(), "--skip-phases", "role-assignment"));
        Assert.True(run.ExitCode == 0, run.Error);
        var created = await Client.CoreV1.ReadNamespacedServiceAccountAsync(account, Ns);
        return created.Metadata.Annotations[WorkloadIdentityAnnotations.ClientId];
    }

    /// <summary>The issuer the cluster publishes.</summary>
    public string IssuerOfCluster() => _issuer ?? Host.IssuerUrl;

    /// <summary>A pod as the webhook leaves it: label, environment, token volume and mount.</summary>
    public static V1Pod MutatedPod(string name = "app", string account = Account, string audience = WorkloadIdentityDefaults.Audience) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [WorkloadIdentityLabels.Use] = "true" } },
        Spec = new V1PodSpec
        {
            ServiceAccountName = account,
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = "busybox",
                    Env =
                    [
                        new V1EnvVar { Name = WorkloadIdentityEnvironment.ClientId, Value = "from-webhook" },
                        new V1EnvVar { Name = WorkloadIdentityEnvironment.FederatedTokenFile, Value = WorkloadIdentityDefaults.TokenFilePath },
                    ],
                    VolumeMounts = [new V1VolumeMount { MountPath = WorkloadIdentityDefaults.TokenMountPath, Name = WorkloadIdentityDefaults.TokenVolumeName, ReadOnlyProperty = true }],
                },
            ],
            Volumes =
            [
                new V1Volume
                {
                    Name = WorkloadIdentityDefaults.TokenVolumeName,
                    Projected = new V1ProjectedVolumeSource
                    {
                        Sources =
                        [
                            new V1VolumeProjection
                            {
                                ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = WorkloadIdentityDefaults.TokenFileName, Audience = audience, ExpirationSeconds = 3600 },
                            },
                        ],
                    },
                },
            ],
        },
    };

    public async Task<V1Pod> CreatePodAsync(V1Pod pod) => await Client.CoreV1.CreateNamespacedPodAsync(pod, Ns);

    /// <summary>Replaces the service account's labels and annotations (kubectl edit).</summary>
    public async Task EditAccountAsync(Action<V1ServiceAccount> edit, string account = Account)
    {
        var current = await Client.CoreV1.ReadNamespacedServiceAccountAsync(account, Ns);
        current.Metadata.Labels ??= new Dictionary<string, string>();
        current.Metadata.Annotations ??= new Dictionary<string, string>();
        edit(current);
        await Client.CoreV1.ReplaceNamespacedServiceAccountAsync(current, account, Ns);
    }

    public async Task EditRegistrationAsync(Action<V1MutatingWebhook> edit)
    {
        var current = await Client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync(ConfigurationName);
        edit(current.Webhooks.Single(w => w.Name == WebhookRegistration.WebhookName));
        await Client.AdmissionregistrationV1.ReplaceMutatingWebhookConfigurationAsync(current, ConfigurationName);
    }

    public string[] Auth(params string[] args) => _cli.Auth(args);

    /// <summary><c>azwi doctor -n demo … -o json</c> signed in as the operator; the findings by code.</summary>
    public async Task<DoctorRun> DoctorAsync(params string[] args)
    {
        var run = await RunAsync(Auth(["doctor", "--namespace", Ns, "--output", "json", .. args]));
        Assert.True(run.ExitCode is 0 or 1, $"exit {run.ExitCode}: {run.Error}");
        return DoctorRun.Parse(run);
    }

    public Task<CliRun> RunAsync(params string[] args) => _cli.RunAsync(args);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await _cli.DisposeAsync();
    }

    private static V1MutatingWebhookConfiguration Registration(Uri url, string caPem) => new()
    {
        Metadata = new V1ObjectMeta { Name = ConfigurationName },
        Webhooks =
        [
            // The workload warnings entry comes first, as a check that doctor judges the pod entry by its name.
            new V1MutatingWebhook
            {
                Name = "workloads.azure-workload-identity.io",
                AdmissionReviewVersions = ["v1"],
                ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = url.ToString(), CaBundle = Encoding.UTF8.GetBytes(caPem) },
                Rules = [new V1RuleWithOperations { ApiGroups = ["apps"], ApiVersions = ["v1"], Operations = ["CREATE", "UPDATE"], Resources = ["deployments"] }],
                FailurePolicy = "Ignore",
                SideEffects = "None",
            },
            new V1MutatingWebhook
            {
                Name = WebhookRegistration.WebhookName,
                AdmissionReviewVersions = ["v1"],
                ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = url.ToString(), CaBundle = Encoding.UTF8.GetBytes(caPem) },
                Rules = [new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Operations = ["CREATE"], Resources = ["pods"] }],
                FailurePolicy = "Ignore",
                SideEffects = "None",
                NamespaceSelector = new V1LabelSelector
                {
                    MatchExpressions = [new V1LabelSelectorRequirement { Key = "kubernetes.io/metadata.name", OperatorProperty = "NotIn", Values = ["kube-system"] }],
                },
            },
        ],
    };

    private static async Task AllowAsync(HttpContext context)
    {
        var review = await JsonNode.ParseAsync(context.Request.Body);
        var answer = new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["response"] = new JsonObject { ["uid"] = review?["request"]?["uid"]?.GetValue<string>(), ["allowed"] = true },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }
}

/// <summary>One doctor run: exit code, the findings by code (status), and the raw output.</summary>
internal sealed record DoctorRun(int ExitCode, IReadOnlyDictionary<string, JsonObject> Checks, string Out, string Error)
{
    public static DoctorRun Parse(CliRun run)
    {
        var document = JsonNode.Parse(run.Out) ?? throw new JsonException("no JSON on stdout: " + run.Error);
        var checks = (document["checks"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(c => c["code"]!.GetValue<string>(), c => c);
        return new DoctorRun(run.ExitCode, checks, run.Out, run.Error);
    }

    public IReadOnlyList<string> Failed => [.. Checks.Where(c => c.Value["status"]!.GetValue<string>() == "failed").Select(c => c.Key).Order(StringComparer.Ordinal)];

    public string Status(string code) => Checks.TryGetValue(code, out var check) ? check["status"]!.GetValue<string>() : "absent";

    public string Found(string code) => Checks[code]["found"]!.GetValue<string>();

    public IReadOnlyList<string> Details(string code) => [.. (Checks[code]["details"] as JsonArray ?? []).Select(d => d!.GetValue<string>())];
}
