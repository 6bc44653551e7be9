using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalKubeletTests : IAsyncLifetime
{
    private const int Timeout = 30_000;
    private readonly FakeTokenSigner _signer = new();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kubelet-test-" + Guid.NewGuid().ToString("N"));
    private KubernetesApiServer _server = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { TokenSigner = _signer });
        _client = _server.CreateClient();
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(
            new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "workload" } }, "demo");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        if (System.IO.Directory.Exists(_root))
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task StartPod_ProjectedTokenVolume_WritesTokenWithVolumeAudienceAndMode()
    {
        var pod = await CreatePodAsync(expirationSeconds: 3600, defaultMode: null);
        await using var kubelet = new LocalKubelet(_client, _root);

        var local = await kubelet.StartPodAsync(pod, CancellationToken.None);

        var token = Assert.Single(local.Tokens);
        Assert.Equal(Path.Combine(_root, "demo", "app", "volumes", "azure-identity-token", "azure-identity-token"), token.FilePath);
        Assert.Equal("system:serviceaccount:demo:workload|api://AzureADTokenExchange", await File.ReadAllTextAsync(token.FilePath));
        Assert.Equal((UnixFileMode)420, File.GetUnixFileMode(token.FilePath));
        var signed = Assert.Single(_signer.Signed);
        Assert.Equal("app", signed.PodName);
        Assert.Equal(TimeSpan.FromSeconds(3600), signed.Expires - signed.IssuedAt);
    }

    [Fact(Timeout = Timeout)]
    public async Task StartPod_DefaultModeOnVolume_IsHonoured()
    {
        var pod = await CreatePodAsync(expirationSeconds: 3600, defaultMode: 384);
        await using var kubelet = new LocalKubelet(_client, _root);

        var local = await kubelet.StartPodAsync(pod, CancellationToken.None);

        Assert.Equal((UnixFileMode)384, File.GetUnixFileMode(Assert.Single(local.Tokens).FilePath));
    }

    [Fact(Timeout = Timeout)]
    public async Task RefreshLoop_At80PercentOfLifetime_RequestsANewToken()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await _server.DisposeAsync();
        _server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { TokenSigner = _signer, TimeProvider = time });
        _client.Dispose();
        _client = _server.CreateClient();
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(
            new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "workload" } }, "demo");
        var pod = await CreatePodAsync(expirationSeconds: 3600, defaultMode: null);
        await using var kubelet = new LocalKubelet(_client, _root, time);
        var local = await kubelet.StartPodAsync(pod, CancellationToken.None);
        var first = Assert.Single(local.Tokens);
        // The API server answers the expiry in whole seconds, as Kubernetes does.
        Assert.InRange(first.RefreshAt - first.IssuedAt, TimeSpan.FromSeconds(2879), TimeSpan.FromSeconds(2880));

        time.Advance(TimeSpan.FromSeconds(2878));
        await Task.Delay(200);
        Assert.Single(_signer.Signed);

        time.Advance(TimeSpan.FromSeconds(3));
        while (_signer.Signed.Count < 2)
        {
            await Task.Delay(20);
        }

        Assert.Equal(2, _signer.Signed.Count);
    }

    [Fact]
    public void TranslatePath_UnderMount_MapsToVolumeFolder_OtherwiseUnchanged()
    {
        var container = new V1Container
        {
            Name = "c",
            VolumeMounts = [new V1VolumeMount { Name = "azure-identity-token", MountPath = "/var/run/secrets/azure/tokens" }],
        };
        var local = new LocalPod(
            new V1Pod(),
            "/pods/x",
            new Dictionary<string, string> { ["azure-identity-token"] = "/pods/x/volumes/azure-identity-token" });

        Assert.Equal("/pods/x/volumes/azure-identity-token/azure-identity-token",
            local.TranslatePath(container, "/var/run/secrets/azure/tokens/azure-identity-token"));
        Assert.Equal("/var/run/secrets/azure/tokens-other", local.TranslatePath(container, "/var/run/secrets/azure/tokens-other"));
        Assert.Equal("/etc/hosts", local.TranslatePath(container, "/etc/hosts"));
    }

    [Theory]
    [InlineData("ghcr.io/org/app:v1.2", "ghcr.io/org/app")]
    [InlineData("localhost:5000/app", "localhost:5000/app")]
    [InlineData("localhost:5000/app:1", "localhost:5000/app")]
    [InlineData("app@sha256:abc", "app")]
    [InlineData("app", "app")]
    public void RepositoryOf_StripsTagAndDigestButNotRegistryPort(string image, string expected) =>
        Assert.Equal(expected, LocalImage.RepositoryOf(image));

    [Fact(Timeout = Timeout)]
    public async Task RunContainer_PassesTranslatedEnv_AndCapturesLog()
    {
        var pod = await CreatePodAsync(expirationSeconds: 3600, defaultMode: null);
        await using var kubelet = new LocalKubelet(_client, _root);
        var local = await kubelet.StartPodAsync(pod, CancellationToken.None);
        var runner = new LocalContainerRunner(
            [new LocalImage("example.test/printer", "/bin/sh", ["-c", "echo token=$AZURE_FEDERATED_TOKEN_FILE; cat $AZURE_FEDERATED_TOKEN_FILE; echo; echo extra=$EXTRA; exit 3"])],
            new Dictionary<string, string> { ["EXTRA"] = "from-sandbox" });

        var run = await runner.RunAsync(local, "main", TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"token={local.Tokens[0].FilePath}", run.Log);
        Assert.Contains("system:serviceaccount:demo:workload|api://AzureADTokenExchange", run.Log);
        Assert.Contains("extra=from-sandbox", run.Log);
    }

    [Fact(Timeout = Timeout)]
    public async Task RunContainer_UnknownImage_SaysWhichImagesAreKnown()
    {
        var pod = await CreatePodAsync(expirationSeconds: 3600, defaultMode: null);
        await using var kubelet = new LocalKubelet(_client, _root);
        var local = await kubelet.StartPodAsync(pod, CancellationToken.None);
        var runner = new LocalContainerRunner([new LocalImage("example.test/other", "/bin/true", [])]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => runner.RunAsync(local, "main", TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.Contains("example.test/printer:v1", error.Message, StringComparison.Ordinal);
        Assert.Contains("example.test/other", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task RunContainer_ProgramNotInstalled_SaysWhichProgramAndHowToInstall()
    {
        var pod = await CreatePodAsync(expirationSeconds: 3600, defaultMode: null);
        await using var kubelet = new LocalKubelet(_client, _root);
        var local = await kubelet.StartPodAsync(pod, CancellationToken.None);
        var runner = new LocalContainerRunner([new LocalImage("example.test/printer", "/nonexistent/printer", [])]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => runner.RunAsync(local, "main", TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.Contains("cannot start /nonexistent/printer for main", error.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/install-prereqs.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task StartPod_SecretConfigMapAndEmptyDirVolumes_WritesThemAsFolders()
    {
        await _client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "creds" }, Data = new Dictionary<string, byte[]> { ["password"] = "s3cret"u8.ToArray() } }, "demo");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" }, Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } }, "demo");
        var pod = await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "volumes" },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "app", Image = "example.test/app" }],
                Volumes =
                [
                    new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "creds", DefaultMode = 256 } },
                    new V1Volume { Name = "settings", ConfigMap = new V1ConfigMapVolumeSource { Name = "settings", Items = [new V1KeyToPath { Key = "b", Path = "nested/b.txt" }] } },
                    new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() },
                    new V1Volume { Name = "absent", Secret = new V1SecretVolumeSource { SecretName = "absent", Optional = true } },
                ],
            },
        }, "demo");
        await using var kubelet = new LocalKubelet(_client, _root);

        var local = await kubelet.StartPodAsync(pod, CancellationToken.None);

        Assert.Equal("s3cret", await File.ReadAllTextAsync(Path.Combine(local.VolumeDirectories["creds"], "password")));
        Assert.Equal((UnixFileMode)256, File.GetUnixFileMode(Path.Combine(local.VolumeDirectories["creds"], "password")));
        Assert.Equal(["nested/b.txt"], System.IO.Directory.GetFiles(local.VolumeDirectories["settings"], "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(local.VolumeDirectories["settings"], f)));
        Assert.Equal("2", await File.ReadAllTextAsync(Path.Combine(local.VolumeDirectories["settings"], "nested", "b.txt")));
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(local.VolumeDirectories["scratch"]));
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(local.VolumeDirectories["absent"]));
    }

    [Fact(Timeout = 30_000)]
    public async Task StartPod_ServiceAccountVolumeFromAdmission_TokenCaAndNamespaceWritten()
    {
        var pod = await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "in-cluster" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "example.test/app" }] },
        }, "demo");
        var unmounted = await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "opted-out" },
            Spec = new V1PodSpec { AutomountServiceAccountToken = false, Containers = [new V1Container { Name = "app", Image = "example.test/app" }] },
        }, "demo");
        await using var kubelet = new LocalKubelet(_client, _root);

        var local = await kubelet.StartPodAsync(pod, CancellationToken.None);

        var volume = Assert.Single(pod.Spec.Volumes, v => v.Name.StartsWith("kube-api-access-", StringComparison.Ordinal));
        Assert.Matches("^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$", volume.Name);
        var mount = Assert.Single(pod.Spec.Containers[0].VolumeMounts);
        Assert.Equal(("/var/run/secrets/kubernetes.io/serviceaccount", true), (mount.MountPath, mount.ReadOnlyProperty == true));
        var token = Assert.Single(local.Tokens);
        Assert.Equal(3607, token.ExpirationSeconds);
        var folder = local.VolumeDirectories[volume.Name];
        Assert.Equal(_server.CaPem, await File.ReadAllTextAsync(Path.Combine(folder, "ca.crt")));
        Assert.Equal("demo", await File.ReadAllTextAsync(Path.Combine(folder, "namespace")));
        Assert.True(File.Exists(Path.Combine(folder, "token")));
        Assert.Null(unmounted.Spec.Volumes);
        Assert.Null(unmounted.Spec.Containers[0].VolumeMounts);
    }

    private async Task<V1Pod> CreatePodAsync(long expirationSeconds, int? defaultMode)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "app" },
            Spec = new V1PodSpec
            {
                // These tests follow the workload-identity token alone; the API server's own volume is tested below.
                AutomountServiceAccountToken = false,
                ServiceAccountName = "workload",
                Containers =
                [
                    new V1Container
                    {
                        Name = "main",
                        Image = "example.test/printer:v1",
                        Env = [new V1EnvVar { Name = "AZURE_FEDERATED_TOKEN_FILE", Value = "/var/run/secrets/azure/tokens/azure-identity-token" }],
                        VolumeMounts = [new V1VolumeMount { Name = "azure-identity-token", MountPath = "/var/run/secrets/azure/tokens", ReadOnlyProperty = true }],
                    },
                ],
                Volumes =
                [
                    new V1Volume
                    {
                        Name = "azure-identity-token",
                        Projected = new V1ProjectedVolumeSource
                        {
                            DefaultMode = defaultMode,
                            Sources =
                            [
                                new V1VolumeProjection
                                {
                                    ServiceAccountToken = new V1ServiceAccountTokenProjection
                                    {
                                        Audience = "api://AzureADTokenExchange",
                                        ExpirationSeconds = expirationSeconds,
                                        Path = "azure-identity-token",
                                    },
                                },
                            ],
                        },
                    },
                ],
            },
        };
        return await _client.CoreV1.CreateNamespacedPodAsync(pod, "demo");
    }
}
