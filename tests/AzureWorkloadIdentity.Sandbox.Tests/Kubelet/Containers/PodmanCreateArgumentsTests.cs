using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubelet.Containers;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet.Containers;

public sealed class PodmanCreateArgumentsTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public void For_FullContainer_MapsMountsEnvCommandAndSecurityContext()
    {
        var container = new V1Container
        {
            Name = "app",
            Image = "example.test/app:v1",
            Command = ["/bin/app", "--serve"],
            Args = ["--port", "8080"],
            WorkingDir = "/work",
            Env = [new V1EnvVar { Name = "AZURE_FEDERATED_TOKEN_FILE", Value = "/var/run/secrets/azure/tokens/azure-identity-token" }, new V1EnvVar { Name = "SHARED", Value = "mine" }],
            VolumeMounts =
            [
                new V1VolumeMount { Name = "token", MountPath = "/var/run/secrets/azure/tokens", ReadOnlyProperty = true },
                new V1VolumeMount { Name = "scratch", MountPath = "/tmp" },
            ],
            SecurityContext = new V1SecurityContext
            {
                RunAsUser = 1501,
                RunAsGroup = 1502,
                ReadOnlyRootFilesystem = true,
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Add = ["NET_ADMIN"], Drop = ["ALL"] },
            },
        };
        var pod = Pod(container, new Dictionary<string, string> { ["token"] = "/pods/demo/app/volumes/token", ["scratch"] = "/pods/demo/app/volumes/scratch" });

        var arguments = PodmanCreateArguments.For(
            pod, container, "azwi-1-demo-app-app", "1",
            new Dictionary<string, string> { ["SSL_CERT_FILE"] = "/etc/azure-workload-identity-sandbox/ca-bundle.pem", ["SHARED"] = "sandbox" },
            [new ContainerFile("/host/ca-bundle.pem", "/etc/azure-workload-identity-sandbox/ca-bundle.pem")]);

        Assert.Equal(["create", "--name", "azwi-1-demo-app-app"], arguments.Take(3));
        AssertPair(arguments, "--network", "host");
        Assert.Contains("--pull=never", arguments);
        AssertPair(arguments, "--runtime", "runc");
        AssertPair(arguments, "--volume", "/pods/demo/app/volumes/token:/var/run/secrets/azure/tokens:ro");
        AssertPair(arguments, "--volume", "/pods/demo/app/volumes/scratch:/tmp");
        AssertPair(arguments, "--volume", "/host/ca-bundle.pem:/etc/azure-workload-identity-sandbox/ca-bundle.pem:ro");
        AssertPair(arguments, "--env", "AZURE_FEDERATED_TOKEN_FILE=/var/run/secrets/azure/tokens/azure-identity-token");
        AssertPair(arguments, "--env", "SHARED=mine");
        Assert.DoesNotContain("SHARED=sandbox", arguments);
        AssertPair(arguments, "--workdir", "/work");
        AssertPair(arguments, "--user", "1501:1502");
        Assert.Contains("--read-only", arguments);
        AssertPair(arguments, "--cap-add", "NET_ADMIN");
        AssertPair(arguments, "--cap-drop", "ALL");
        AssertPair(arguments, "--security-opt", "no-new-privileges");
        AssertPair(arguments, "--entrypoint", "[\"/bin/app\",\"--serve\"]");
        Assert.Equal(["example.test/app:v1", "--port", "8080"], arguments.TakeLast(3));
        Assert.DoesNotContain("--privileged", arguments);
    }

    [Fact]
    public void For_PodSecurityContextAndPrivileged_UsesPodUserAndPrivileged()
    {
        var container = new V1Container { Name = "app", Image = "example.test/app:v1", SecurityContext = new V1SecurityContext { Privileged = true } };
        var pod = Pod(container, new Dictionary<string, string>());
        pod.Pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsUser = 1000 };

        var arguments = PodmanCreateArguments.For(pod, container, "c", "1", NoEnvironment, []);

        AssertPair(arguments, "--user", "1000");
        Assert.Contains("--privileged", arguments);
        Assert.DoesNotContain("--entrypoint", arguments);
        Assert.Equal("example.test/app:v1", arguments[^1]);
    }

    [Fact]
    public void For_CommandAndArgsReferenceTheEnv_ExpandedAsTheKubeletDoes()
    {
        var container = new V1Container
        {
            Name = "app",
            Image = "example.test/app:v1",
            Env = [new V1EnvVar { Name = "PORT", Value = "8080" }],
            Command = ["/app/$(BINARY)", "--listen=:$(PORT)"],
            Args = ["--peer=$(PORT)", "$$(PORT)"],
        };

        var arguments = PodmanCreateArguments.For(Pod(container, new Dictionary<string, string>()), container, "c", "1", NoEnvironment, []);

        AssertPair(arguments, "--entrypoint", "[\"/app/$(BINARY)\",\"--listen=:8080\"]");
        Assert.Equal(["example.test/app:v1", "--peer=8080", "$(PORT)"], arguments.TakeLast(3));
    }

    [Fact]
    public void For_MountOfUnknownVolume_ThrowsCreateContainerConfigErrorNamingIt()
    {
        var container = new V1Container { Name = "app", Image = "example.test/app:v1", VolumeMounts = [new V1VolumeMount { Name = "nfs", MountPath = "/data" }] };

        var failure = Assert.Throws<ContainerStartException>(() =>
            PodmanCreateArguments.For(Pod(container, new Dictionary<string, string>()), container, "c", "1", NoEnvironment, []));

        Assert.Equal("CreateContainerConfigError", failure.Reason);
        Assert.Contains("\"nfs\"", failure.Message, StringComparison.Ordinal);
    }

    private static LocalPod Pod(V1Container container, IReadOnlyDictionary<string, string> volumes) =>
        new(new V1Pod { Metadata = new V1ObjectMeta { Name = "app", NamespaceProperty = "demo" }, Spec = new V1PodSpec { Containers = [container] } }, "/pods/demo/app", volumes);

    private static void AssertPair(IReadOnlyList<string> arguments, string flag, string value) =>
        Assert.True(
            arguments.Zip(arguments.Skip(1)).Any(p => p.First == flag && p.Second == value),
            $"expected {flag} {value} in: {string.Join(' ', arguments)}");
}
