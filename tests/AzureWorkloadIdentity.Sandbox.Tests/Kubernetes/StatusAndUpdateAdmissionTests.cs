using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes;

public sealed class StatusAndUpdateAdmissionTests : IAsyncLifetime
{
    private const int Timeout = 30_000;
    private readonly RecordingAdmission _admission = new();
    private KubernetesApiServer _server = null!;
    private IKubernetes _client = null!;
    private RawApiClient _api = null!;

    public async Task InitializeAsync()
    {
        var options = new KubernetesApiServerOptions { TokenSigner = new FakeTokenSigner() };
        options.Admission.Add(_admission);
        _server = await KubernetesApiServer.StartAsync(options);
        _client = _server.CreateClient();
        _api = new RawApiClient(_server);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact(Timeout = Timeout)]
    public async Task CreatePod_WithStatus_StartsPending()
    {
        var created = await _client.CoreV1.CreateNamespacedPodAsync(Pod("web", phase: "Running"), "demo");

        Assert.Equal("Pending", created.Status.Phase);
    }

    [Fact(Timeout = Timeout)]
    public async Task PatchMainResource_WithStatus_KeepsStatusAndBumpsGenerationOnSpecChange()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "demo");
        await _client.AppsV1.PatchNamespacedDeploymentStatusAsync(MergePatch(new { status = new { replicas = 3 } }), "web", "demo");

        var labelled = await _client.AppsV1.PatchNamespacedDeploymentAsync(
            MergePatch(new { metadata = new { labels = new { team = "red" } }, status = new { replicas = 9 } }), "web", "demo");
        var scaled = await _client.AppsV1.PatchNamespacedDeploymentAsync(MergePatch(new { spec = new { replicas = 4 } }), "web", "demo");

        Assert.Equal(3, labelled.Status.Replicas);
        Assert.Equal(1, labelled.Metadata.Generation);
        Assert.Equal(2, scaled.Metadata.Generation);
        Assert.Equal(3, scaled.Status.Replicas);
    }

    [Fact(Timeout = Timeout)]
    public async Task WriteStatus_WithSpecChange_ChangesOnlyStatus()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "demo");

        var (code, written) = await _api.SendAsync(
            HttpMethod.Patch, "/apis/apps/v1/namespaces/demo/deployments/web/status",
            """{"spec":{"replicas":7},"status":{"readyReplicas":1}}""", "application/merge-patch+json");

        Assert.Equal(200, code);
        Assert.Equal(1, written!["status"]!["readyReplicas"]!.GetValue<int>());
        Assert.Equal(1, written["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, written["metadata"]!["generation"]!.GetValue<int>());
    }

    [Fact(Timeout = Timeout)]
    public async Task PutAndPatch_RunAdmissionAsUpdateWithOldObject()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["v"] = "1" } }, "demo");
        var current = await _client.CoreV1.ReadNamespacedConfigMapAsync("c", "demo");
        current.Data["v"] = "2";

        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(current, "c", "demo");
        var patched = await _client.CoreV1.PatchNamespacedConfigMapAsync(MergePatch(new { data = new { v = "3" } }), "c", "demo");

        Assert.Equal(["CREATE", "UPDATE", "UPDATE"], _admission.Seen.Select(s => s.Operation));
        Assert.Equal("1", _admission.Seen[1].OldValue);
        Assert.Equal("2", _admission.Seen[2].OldValue);
        Assert.Equal("admitted", patched.Metadata.Labels["admission"]);
    }

    [Fact(Timeout = Timeout)]
    public async Task Patch_RefusedByAdmission_NothingStored()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "demo");

        var (code, status) = await _api.SendAsync(
            HttpMethod.Patch, "/api/v1/namespaces/demo/configmaps/c", """{"data":{"v":"forbidden"}}""", "application/merge-patch+json");

        Assert.Equal(403, code);
        Assert.Equal("Forbidden", status!["reason"]!.GetValue<string>());
        Assert.Null((await _client.CoreV1.ReadNamespacedConfigMapAsync("c", "demo")).Data);
    }

    private static V1Patch MergePatch(object patch) => new(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch);

    private static V1Pod Pod(string name, string phase) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i" }] },
        Status = new V1PodStatus { Phase = phase },
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
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i" }] },
            },
        },
    };

    /// <summary>Records what admission saw for config maps, labels them, and refuses the value "forbidden".</summary>
    private sealed class RecordingAdmission : IAdmissionPlugin
    {
        public List<(string Operation, string? OldValue)> Seen { get; } = [];

        public Task AdmitAsync(AdmissionAttributes attributes, JsonObject value, ICollection<string> warnings, CancellationToken cancellationToken)
        {
            if (attributes.Type.Plural != "configmaps")
            {
                return Task.CompletedTask;
            }

            if (value["data"]?["v"]?.GetValue<string>() == "forbidden")
            {
                throw new KubernetesApiException(403, "Forbidden", "configmaps \"c\" is forbidden: the value is not allowed");
            }

            Seen.Add((attributes.Operation, attributes.OldObject?["data"]?["v"]?.GetValue<string>()));
            var metadata = (JsonObject)value["metadata"]!;
            metadata["labels"] = new JsonObject { ["admission"] = "admitted" };
            return Task.CompletedTask;
        }
    }
}
