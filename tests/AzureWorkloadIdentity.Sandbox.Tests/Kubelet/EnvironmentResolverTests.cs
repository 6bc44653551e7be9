using System.Text;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubelet;

/// <summary>env <c>valueFrom</c> resolved by the kubelet against the sandbox's API server, as a kubelet does at container start.</summary>
public sealed class EnvironmentResolverTests : IAsyncLifetime
{
    private const int Timeout = 30_000;
    private KubernetesApiServer _server = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { TokenSigner = new FakeTokenSigner() });
        _client = _server.CreateClient();
        await _client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "creds" }, Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes("s3cret") } }, "demo");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "settings" }, Data = new Dictionary<string, string> { ["mode"] = "fast" } }, "demo");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact(Timeout = Timeout)]
    public async Task Resolve_FieldSecretAndConfigMapReferences_GivesTheirValuesInOrder()
    {
        var pod = Pod(
            Plain("FIRST", "1"),
            Field("POD_NAME", "metadata.name"),
            Field("POD_NAMESPACE", "metadata.namespace"),
            Field("SERVICE_ACCOUNT", "spec.serviceAccountName"),
            Field("POD_IP", "status.podIP"),
            Field("APP_LABEL", "metadata.labels['app']"),
            new V1EnvVar { Name = "PASSWORD", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "creds", Key = "password" } } },
            new V1EnvVar { Name = "MODE", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "mode" } } });

        var resolved = (await EnvironmentResolver.ResolveAsync(_client, pod, CancellationToken.None))["app"];

        Assert.Null(resolved.Error);
        Assert.Equal(
            [("FIRST", "1"), ("POD_NAME", "web"), ("POD_NAMESPACE", "demo"), ("SERVICE_ACCOUNT", "workload"), ("POD_IP", "127.0.0.1"), ("APP_LABEL", "shop"), ("PASSWORD", "s3cret"), ("MODE", "fast")],
            resolved.Variables.Select(v => (v.Key, v.Value)));
    }

    [Fact(Timeout = Timeout)]
    public async Task Resolve_OptionalMissingSourcesAndKeys_LeavesTheVariablesOut()
    {
        var pod = Pod(
            new V1EnvVar { Name = "A", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "absent", Key = "k", Optional = true } } },
            new V1EnvVar { Name = "B", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "absent", Optional = true } } },
            Plain("C", "kept"));

        var resolved = (await EnvironmentResolver.ResolveAsync(_client, pod, CancellationToken.None))["app"];

        Assert.Null(resolved.Error);
        Assert.Equal([("C", "kept")], resolved.Variables.Select(v => (v.Key, v.Value)));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("absent", "password", "secret \"absent\" not found in namespace demo")]
    [InlineData("creds", "absent", "couldn't find key absent in secret demo/creds")]
    public async Task Resolve_RequiredSecretMissing_ErrorNamesItAndContainerCannotStart(string secret, string key, string expected)
    {
        var pod = Pod(new V1EnvVar { Name = "PASSWORD", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } } });
        var local = new LocalPod(pod, string.Empty, new Dictionary<string, string>())
        {
            Environments = await EnvironmentResolver.ResolveAsync(_client, pod, CancellationToken.None),
        };

        var error = Assert.Throws<ContainerStartException>(() => local.Environment(pod.Spec.Containers[0]));

        Assert.Equal("CreateContainerConfigError", error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("container \"app\" env PASSWORD:", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Resolve_UnsupportedFieldPath_ErrorListsTheSupportedOnes()
    {
        var pod = Pod(Field("X", "spec.priority"));

        var resolved = (await EnvironmentResolver.ResolveAsync(_client, pod, CancellationToken.None))["app"];

        Assert.Contains("fieldRef spec.priority is not supported; use metadata.name", resolved.Error, StringComparison.Ordinal);
    }

    private static V1EnvVar Plain(string name, string value) => new() { Name = name, Value = value };

    private static V1EnvVar Field(string name, string path) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };

    [Fact(Timeout = Timeout)]
    public async Task Resolve_EnvFromAndReferences_SourcesInOrderEnvWinsAndReferencesExpanded()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = "many" },
                Data = new Dictionary<string, string> { ["HOST"] = "db.local", ["PORT"] = "5432", ["mode"] = "slow", ["not a name"] = "skipped" },
            },
            "demo");
        var pod = Pod(
            Plain("PORT", "6543"),
            Plain("URL", "postgres://$(HOST):$(PORT)/$(MISSING)?cost=$$(HOST)&p=$(S_password)"),
            Plain("OPEN", "$(HOST"));
        pod.Spec.Containers[0].EnvFrom =
        [
            new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "settings" } },
            new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "many" } },
            new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "creds" }, Prefix = "S_" },
            new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "absent", Optional = true } },
        ];

        var resolved = (await EnvironmentResolver.ResolveAsync(_client, pod, CancellationToken.None))["app"];

        Assert.Null(resolved.Error);
        Assert.Equal(
            [("mode", "slow"), ("HOST", "db.local"), ("PORT", "6543"), ("S_password", "s3cret"),
             ("URL", "postgres://db.local:6543/$(MISSING)?cost=$(HOST)&p=s3cret"), ("OPEN", "$(HOST")],
            resolved.Variables.Select(v => (v.Key, v.Value)));
    }

    [Fact(Timeout = Timeout)]
    public async Task Resolve_EnvFromRequiredSourceMissing_ErrorNamesItAndTheFix()
    {
        var pod = Pod(Plain("A", "1"));
        pod.Spec.Containers[0].EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "absent" } }];

        var resolved = (await EnvironmentResolver.ResolveAsync(_client, pod, CancellationToken.None))["app"];

        Assert.Equal("container \"app\" envFrom: secret \"absent\" not found in namespace demo; create it or mark the reference optional", resolved.Error);
    }

    [Theory]
    [InlineData("$(A)", "1")]
    [InlineData("x$(A)y$(B)z", "x1y2z")]
    [InlineData("$$(A)", "$(A)")]
    [InlineData("$$$(A)", "$1")]
    [InlineData("$(UNKNOWN)", "$(UNKNOWN)")]
    [InlineData("$(A", "$(A")]
    [InlineData("cost $5 and $", "cost $5 and $")]
    [InlineData("$()", "$()")]
    [InlineData("no references", "no references")]
    public void Expand_KubernetesReferenceSyntax_AsTheKubeletExpands(string input, string expected) =>
        Assert.Equal(expected, VariableExpansion.Expand(input, name => name switch { "A" => "1", "B" => "2", _ => null }));

    private static V1Pod Pod(params V1EnvVar[] env) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "demo", Labels = new Dictionary<string, string> { ["app"] = "shop" } },
        Spec = new V1PodSpec { ServiceAccountName = "workload", Containers = [new V1Container { Name = "app", Image = "example.test/sh", Env = env }] },
    };
}
