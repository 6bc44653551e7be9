using AzureWorkloadIdentity.Cli.Output;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Tests.Commands.PodIdentity;

/// <summary><c>azwi podidentity detect</c> against the sandbox's Kubernetes API subset with aad-pod-identity objects.</summary>
public sealed class DetectCommandTests : IAsyncLifetime
{
    private const string Ns = "migrate";
    private const string ClientId = "11111111-2222-3333-4444-555555555555";
    private readonly TempDirectory _temp = new();
    private KubernetesApiServer _server = null!;
    private IKubernetes _client = null!;
    private string _kubeconfig = null!;

    private string OutputDir => _temp.File("out");

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync();
        _client = _server.CreateClient();
        _kubeconfig = _server.WriteKubeconfig(_temp.File("kubeconfig"));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    [Fact(Timeout = 60_000)]
    public async Task Detect_DeploymentCronJobAndBarePod_WritesServiceAccountAndWorkloadFiles()
    {
        await CreateIdentityAsync("uami", type: 0, ClientId);
        await CreateIdentityAsync("sp", type: 1, "99999999-0000-0000-0000-000000000000");
        await CreateBindingAsync("a-binding", "uami", "web-sel");
        await CreateBindingAsync("b-binding", "sp", "sp-sel");
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta { Name = "batch-sa", Annotations = new Dictionary<string, string> { ["keep"] = "me" } },
        }, Ns);

        var deployment = await _client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), Ns);
        var replicaSet = await _client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("web-abc", deployment), Ns);
        await CreatePodAsync("web-abc-1", "web-sel", null, Owner("ReplicaSet", replicaSet.Name(), replicaSet.Uid()));
        await CreatePodAsync("web-abc-2", "web-sel", null, Owner("ReplicaSet", replicaSet.Name(), replicaSet.Uid()));
        var cronJob = await _client.BatchV1.CreateNamespacedCronJobAsync(CronJob("nightly"), Ns);
        var job = await _client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "nightly-1", OwnerReferences = [Owner("CronJob", cronJob.Name(), cronJob.Uid())] },
            Spec = new V1JobSpec { Template = Template("batch-sa") },
        }, Ns);
        await CreatePodAsync("nightly-1-x", "web-sel", "batch-sa", Owner("Job", job.Name(), job.Uid()));
        await CreatePodAsync("lonely", "web-sel", null, owner: null);
        await CreatePodAsync("sp-pod", "sp-sel", null, owner: null);

        var run = await RunAsync("podidentity", "detect", "--namespace", Ns, "-o", OutputDir, "--tenant-id", "tenant-x", "-p", "8123");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(
            ["lonely-serviceaccount.yaml", "lonely.yaml", "nightly-serviceaccount.yaml", "nightly.yaml", "web-serviceaccount.yaml", "web.yaml"],
            Directory.GetFiles(OutputDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var web = KubernetesYaml.Deserialize<V1Deployment>(await File.ReadAllTextAsync(Path.Combine(OutputDir, "web.yaml")));
        Assert.Equal("web", web.Spec.Template.Spec.ServiceAccountName);
        AssertProxyContainers(web.Spec.Template.Spec, "8123");
        Assert.Null(web.Metadata.ResourceVersion);
        Assert.Null(web.Metadata.Uid);
        Assert.Null(web.Status);
        var webAccount = await ReadAccountAsync("web");
        Assert.Equal(Ns, webAccount.Namespace());
        Assert.Equal(ClientId, webAccount.Metadata.Annotations[WorkloadIdentityAnnotations.ClientId]);
        Assert.Equal("3600", webAccount.Metadata.Annotations[WorkloadIdentityAnnotations.ServiceAccountTokenExpiration]);
        Assert.Equal("tenant-x", webAccount.Metadata.Annotations[WorkloadIdentityAnnotations.TenantId]);
        Assert.Equal("true", webAccount.Metadata.Labels[WorkloadIdentityLabels.Use]);

        var nightly = KubernetesYaml.Deserialize<V1CronJob>(await File.ReadAllTextAsync(Path.Combine(OutputDir, "nightly.yaml")));
        Assert.Equal("batch-sa", nightly.Spec.JobTemplate.Spec.Template.Spec.ServiceAccountName);
        AssertProxyContainers(nightly.Spec.JobTemplate.Spec.Template.Spec, "8123");
        var batchAccount = await ReadAccountAsync("nightly");
        Assert.Equal("batch-sa", batchAccount.Name());
        Assert.Equal("me", batchAccount.Metadata.Annotations["keep"]);
        Assert.Equal(ClientId, batchAccount.Metadata.Annotations[WorkloadIdentityAnnotations.ClientId]);
        Assert.Null(batchAccount.Metadata.ResourceVersion);

        var lonely = KubernetesYaml.Deserialize<V1Pod>(await File.ReadAllTextAsync(Path.Combine(OutputDir, "lonely.yaml")));
        Assert.Equal("lonely", lonely.Spec.ServiceAccountName);
        AssertProxyContainers(lonely.Spec, "8123");
        Assert.Contains("generated resource and service account files in output directory", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact(Timeout = 60_000)]
    public async Task Detect_NoBindings_WritesNothingAndSucceeds()
    {
        var run = await RunAsync("pi", "detect", "--namespace", Ns, "--output-dir", OutputDir);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Empty(Directory.GetFiles(OutputDir));
    }

    [Fact(Timeout = 60_000)]
    public async Task Detect_PodOwnedByUnsupportedKind_ExitsOneNamingTheKind()
    {
        await CreateIdentityAsync("uami", type: 0, ClientId);
        await CreateBindingAsync("binding", "uami", "sel");
        await CreatePodAsync("odd", "sel", null, Owner("Rollout", "r", Guid.NewGuid().ToString()));

        var run = await RunAsync("podidentity", "detect", "--namespace", Ns, "-o", OutputDir);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Equal("Error: unsupported owner kind: Rollout", run.Error.Trim());
    }

    [Theory(Timeout = 60_000)]
    [InlineData(new[] { "podidentity", "detect" }, "--output-dir is required")]
    [InlineData(new[] { "podidentity", "detect", "-o", "x", "--service-account-token-expiration", "30m" }, "--service-account-token-expiration must be greater than or equal to 1h0m0s")]
    [InlineData(new[] { "podidentity", "detect", "-o", "x", "--service-account-token-expiration", "25h" }, "--service-account-token-expiration must be less than or equal to 24h0m0s")]
    [InlineData(new[] { "podidentity", "detect", "-o", "x", "--service-account-token-expiration", "soon" }, "is not a duration")]
    [InlineData(new[] { "podidentity", "detect", "-o", "x", "--proxy-port", "0" }, "--proxy-port 0 is not a TCP port")]
    public async Task Detect_InvalidFlag_ExitsOneWithOneLineNamingTheFlag(string[] args, string expected)
    {
        var run = await RunAsync(args);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    private static void AssertProxyContainers(V1PodSpec spec, string port)
    {
        var init = Assert.Single(spec.InitContainers, c => c.Name == WorkloadIdentityDefaults.ProxyInitContainerName);
        Assert.Equal(port, Assert.Single(init.Env, e => e.Name == "PROXY_PORT").Value);
        Assert.Contains("NET_ADMIN", init.SecurityContext.Capabilities.Add);
        var proxy = Assert.Single(spec.Containers, c => c.Name == WorkloadIdentityDefaults.ProxyContainerName);
        Assert.Equal([$"--proxy-port={port}"], proxy.Args);
        Assert.Equal(["/proxy", $"--proxy-port={port}", "--probe"], proxy.Lifecycle.PostStart.Exec.Command);
        Assert.Same(proxy, spec.Containers[^1]);
        Assert.StartsWith(WorkloadIdentityDefaults.ImageRegistry + "/proxy:v", proxy.Image, StringComparison.Ordinal);
    }

    private async Task<V1ServiceAccount> ReadAccountAsync(string workload) =>
        KubernetesYaml.Deserialize<V1ServiceAccount>(await File.ReadAllTextAsync(Path.Combine(OutputDir, workload + "-serviceaccount.yaml")));

    private async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var services = new CliServices(new CliConsole(output, error), TimeProvider.System)
        {
            GetEnvironmentVariable = name => name == "KUBECONFIG" ? _kubeconfig : null,
        };
        var exitCode = await CliApplication.InvokeAsync(args, services, timeout.Token);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    private Task CreateIdentityAsync(string name, int type, string clientId) =>
        _client.CustomObjects.CreateNamespacedCustomObjectAsync(new Dictionary<string, object>
        {
            ["apiVersion"] = "aadpodidentity.k8s.io/v1",
            ["kind"] = "AzureIdentity",
            ["metadata"] = new Dictionary<string, object> { ["name"] = name },
            ["spec"] = new Dictionary<string, object> { ["type"] = type, ["clientID"] = clientId, ["resourceID"] = "/subscriptions/s/rg/x/" + name },
        }, "aadpodidentity.k8s.io", "v1", Ns, "azureidentities");

    private Task CreateBindingAsync(string name, string identity, string selector) =>
        _client.CustomObjects.CreateNamespacedCustomObjectAsync(new Dictionary<string, object>
        {
            ["apiVersion"] = "aadpodidentity.k8s.io/v1",
            ["kind"] = "AzureIdentityBinding",
            ["metadata"] = new Dictionary<string, object> { ["name"] = name },
            ["spec"] = new Dictionary<string, object> { ["azureIdentity"] = identity, ["selector"] = selector },
        }, "aadpodidentity.k8s.io", "v1", Ns, "azureidentitybindings");

    private Task CreatePodAsync(string name, string selector, string? serviceAccount, V1OwnerReference? owner) =>
        _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string> { ["aadpodidbinding"] = selector },
                OwnerReferences = owner is null ? null : [owner],
            },
            Spec = Template(serviceAccount).Spec,
        }, Ns);

    private static V1OwnerReference Owner(string kind, string name, string uid) =>
        new() { ApiVersion = kind is "Job" or "CronJob" ? "batch/v1" : "apps/v1", Kind = kind, Name = name, Uid = uid, Controller = true };

    private static V1PodTemplateSpec Template(string? serviceAccount) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "x" } },
        Spec = new V1PodSpec { ServiceAccountName = serviceAccount, Containers = [new V1Container { Name = "app", Image = "busybox" }] },
    };

    private static V1Deployment Deployment(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "x" } }, Template = Template(null) },
    };

    private static V1ReplicaSet ReplicaSet(string name, V1Deployment owner) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, OwnerReferences = [Owner("Deployment", owner.Name(), owner.Uid())] },
        Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "x" } }, Template = Template(null) },
    };

    private static V1CronJob CronJob(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1CronJobSpec { Schedule = "0 1 * * *", JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = Template("batch-sa") } } },
    };
}
