using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AzureWorkloadIdentity.Sandbox.Kubelet;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.TestUtilities;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// The Events the sandbox's components record, as kubectl shows them: <c>describe</c>'s Events section (which lists
/// them with an <c>involvedObject</c> field selector), <c>get events</c> (the server's Table), <c>kubectl events</c>,
/// field selectors, a crash loop's <c>BackOff</c> counted on one Event, and a ReplicaSet whose pods a webhook denies.
/// </summary>
[Collection(KubectlSandboxCollection.Name)]
public sealed partial class KubectlEventsTests(KubectlSandbox sandbox)
{
    private const int Timeout = 120_000;

    private ObjectStore Store => sandbox.Host.Kubernetes.Store;

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task DescribePod_RunByKubelet_ShowsScheduledPulledCreatedStarted(string version)
    {
        var ns = KubectlSandbox.NewNamespace("describe-events");
        await using var kubelet = TestKubelet.Processes(sandbox);
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(version, TestKubelet.PodJson(ns, "web", "Never", kubelet.Container("app", "sleep 60")), "apply", "-f", "-")).Succeeded();
        await kubelet.RunAsync(ns, "web");
        await UntilEventAsync(ns, "Started");

        var described = (await sandbox.KubectlAsync(version, "describe", "pod", "web", "-n", ns)).Succeeded();

        var events = described[described.IndexOf("\nEvents:", StringComparison.Ordinal)..];
        Assert.Matches(EventsHeader(), events);
        Assert.Matches(Line("Normal", "Scheduled", "default-scheduler", $"Successfully assigned {ns}/web to {KubeletOptions.DefaultNodeName}"), events);
        Assert.Matches(Line("Normal", "Pulled", "kubelet", $"Container image \"{TestKubelet.ProcessImage}\" already present on machine"), events);
        Assert.Matches(Line("Normal", "Created", "kubelet", "Created container: app"), events);
        Assert.Matches(Line("Normal", "Started", "kubelet", "Started container app"), events);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task GetEvents_Namespace_TableColumnsAndKubectlEvents(string version)
    {
        var ns = KubectlSandbox.NewNamespace("get-events");
        await using var kubelet = TestKubelet.Processes(sandbox);
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(version, TestKubelet.PodJson(ns, "web", "Never", kubelet.Container("app", "sleep 60")), "apply", "-f", "-")).Succeeded();
        await kubelet.RunAsync(ns, "web");
        await UntilEventAsync(ns, "Started");

        var table = (await sandbox.KubectlAsync(version, "get", "events", "-n", ns)).Succeeded();
        var wide = (await sandbox.KubectlAsync(version, "get", "events", "-n", ns, "-o", "wide")).Succeeded();
        var forPod = (await sandbox.KubectlAsync(version, "events", "-n", ns, "--for", "pod/web")).Succeeded();

        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$", lines[0]);
        Assert.Contains(lines, l => Regex.IsMatch(l, $@"^\d+s\s+Normal\s+Scheduled\s+pod/web\s+Successfully assigned {ns}/web to "));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\d+s\s+Normal\s+Started\s+pod/web\s+Started container app$"));
        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME", wide);
        Assert.Matches(@"(?m)\sStarted\s+pod/web\s+spec\.containers\{app\}\s+kubelet, sandbox-node\s+Started container app\s+\d+s\s+1\s+web\.[0-9a-f]+\s*$", wide);
        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE", forPod);
        Assert.Contains("Started container app", forPod, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task GetEvents_CrashLoop_BackOffCountedOnOneEventAndFieldSelectorsFilter(string version)
    {
        var ns = KubectlSandbox.NewNamespace("backoff-events");
        await using var kubelet = TestKubelet.Processes(sandbox);
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(version, TestKubelet.PodJson(ns, "crasher", "Always", kubelet.Container("app", "echo failing; exit 1")), "apply", "-f", "-")).Succeeded();
        (await sandbox.KubectlWithInputAsync(version, TestKubelet.PodJson(ns, "steady", "Never", kubelet.Container("app", "sleep 60")), "apply", "-f", "-")).Succeeded();
        var uid = Store.Get(ResourceCatalog.Pods, ns, "crasher").Uid;
        await kubelet.RunAsync(ns, "crasher");
        await kubelet.RunAsync(ns, "steady");
        await Eventually.TrueAsync(
            () => Store.List(ResourceCatalog.Events, ns).Items.Any(e => Reason(e) == "BackOff" && Count(e) >= 3),
            TimeSpan.FromSeconds(60),
            () => "the crash loop's BackOff Event did not count to 3");

        var backOff = Items(await sandbox.KubectlAsync(version, "get", "events", "-n", ns, "-o", "json", "--field-selector", "involvedObject.name=crasher,reason=BackOff"));
        var byUid = Items(await sandbox.KubectlAsync(version, "get", "events", "-n", ns, "-o", "json", "--field-selector", $"involvedObject.uid={uid},involvedObject.kind=Pod,involvedObject.namespace={ns}"));
        var warnings = Items(await sandbox.KubectlAsync(version, "get", "events", "-n", ns, "-o", "json", "--field-selector", "type=Warning"));
        var notStarted = Items(await sandbox.KubectlAsync(version, "get", "events", "-n", ns, "-o", "json", "--field-selector", "reason!=Started,involvedObject.name=steady"));
        var described = (await sandbox.KubectlAsync(version, "describe", "pod", "crasher", "-n", ns)).Succeeded();

        var aggregated = Assert.Single(backOff);
        Assert.True(aggregated["count"]!.GetValue<int>() >= 3, aggregated.ToJsonString());
        Assert.Equal("Warning", aggregated["type"]!.GetValue<string>());
        Assert.Equal($"Back-off restarting failed container app in pod crasher_{ns}({uid})", aggregated["message"]!.GetValue<string>());
        Assert.All(byUid, e => Assert.Equal("crasher", e["involvedObject"]!["name"]!.GetValue<string>()));
        Assert.Contains(byUid, e => e["reason"]!.GetValue<string>() == "Scheduled");
        Assert.Contains(byUid, e => e["reason"]!.GetValue<string>() == "BackOff");
        Assert.Equal(["BackOff"], warnings.Select(e => e["reason"]!.GetValue<string>()).Distinct());
        Assert.Equal(["Created", "Pulled", "Scheduled"], notStarted.Select(e => e["reason"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Matches(@"(?m)^\s+Warning\s+BackOff\s+\S+ \(x\d+ over \S+\)\s+kubelet\s+Back-off restarting failed container app in pod crasher_", described);
        Assert.Matches(@"(?m)^\s+Normal\s+Started\s+\S+ \(x\d+ over \S+\)\s+kubelet\s+Started container app$", described);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(KubectlBinary.Versions), MemberType = typeof(KubectlBinary))]
    public async Task Deployment_WebhookDeniesItsPods_FailedCreateWithTheDenial(string version)
    {
        var ns = KubectlSandbox.NewNamespace("denied-events");
        await using var webhook = await DenyingWebhook.StartAsync(Store, "deny.events.test", "pods of this test are refused", "events-test", ns);
        (await sandbox.KubectlAsync(version, "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync(version, DeniedDeployment(ns), "apply", "-n", ns, "-f", "-")).Succeeded();
        await UntilEventAsync(ns, "FailedCreate");
        var replicaSet = Assert.Single(Store.List(new ResourceType("apps", "v1", "replicasets", "ReplicaSet", true), ns).Items).Name.Name;

        var failed = (await sandbox.KubectlAsync(version, "get", "events", "-n", ns, "--field-selector", "reason=FailedCreate")).Succeeded();
        var describedSet = (await sandbox.KubectlAsync(version, "describe", "replicaset", replicaSet, "-n", ns)).Succeeded();
        var describedDeployment = (await sandbox.KubectlAsync(version, "describe", "deployment", "web", "-n", ns)).Succeeded();

        var denial = $"Error creating: admission webhook \"deny.events.test\" denied the request: pods of this test are refused";
        Assert.Matches($@"(?m)^\S+\s+Warning\s+FailedCreate\s+replicaset/{replicaSet}\s+{Regex.Escape(denial)}$", failed);
        Assert.Matches(Line("Warning", "FailedCreate", "replicaset-controller", denial), describedSet);
        Assert.Matches(Line("Normal", "ScalingReplicaSet", "deployment-controller", $"Scaled up replica set {replicaSet} from 0 to 1"), describedDeployment);
    }

    [PodmanFact(Timeout = Timeout)]
    public async Task DescribePod_ImageNotBuilt_ErrImageNeverPullAndFailed()
    {
        var ns = KubectlSandbox.NewNamespace("unbuilt-events");
        await using var kubelet = TestKubelet.Podman(sandbox);
        var container = kubelet.Container("app", "true");
        container["image"] = "localhost/azwi-events-test/not-built:1";
        (await sandbox.KubectlAsync("1.33", "create", "namespace", ns)).Succeeded();
        (await sandbox.KubectlWithInputAsync("1.33", TestKubelet.PodJson(ns, "unbuilt", "Never", container), "apply", "-f", "-")).Succeeded();

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => kubelet.RunAsync(ns, "unbuilt"));
        var described = (await sandbox.KubectlAsync("1.33", "describe", "pod", "unbuilt", "-n", ns)).Succeeded();

        Assert.Equal("ErrImageNeverPull", error.Reason);
        Assert.Contains("bash scripts/build-images.sh", error.Message, StringComparison.Ordinal);
        Assert.Matches(Line("Warning", "ErrImageNeverPull", "kubelet", error.Message), described);
        Assert.Matches(Line("Warning", "Failed", "kubelet", "Error: ErrImageNeverPull"), described);
        Assert.DoesNotMatch(@"(?m)^\s+Normal\s+(Pulled|Started)\s", described);
    }

    private async Task UntilEventAsync(string ns, string reason) =>
        await Eventually.TrueAsync(
            () => Store.List(ResourceCatalog.Events, ns).Items.Any(e => Reason(e) == reason),
            TimeSpan.FromSeconds(30),
            () => $"no {reason} Event was recorded in {ns}");

    private static string Reason(StoredObject stored) => stored.ToJsonObject()["reason"]!.GetValue<string>();

    private static int Count(StoredObject stored) => stored.ToJsonObject()["count"]!.GetValue<int>();

    private static List<JsonNode> Items(KubectlResult result) => [.. JsonNode.Parse(result.Succeeded())!["items"]!.AsArray().Select(i => i!)];

    /// <summary>A line of describe's Events section: Type, Reason, Age, From, Message.</summary>
    private static string Line(string type, string reason, string from, string message) =>
        $@"(?m)^\s+{type}\s+{reason}\s+\S+(?: \(x\d+ over \S+\))?\s+{Regex.Escape(from)}\s+{Regex.Escape(message)}\s*$";

    [GeneratedRegex(@"\n\s+Type\s+Reason\s+Age\s+From\s+Message\n\s+----\s+------\s+----\s+----\s+-------\n")]
    private static partial Regex EventsHeader();

    private static string DeniedDeployment(string ns) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
                events-test: {ns}
            spec:
              containers:
              - name: app
                image: {TestKubelet.ProcessImage}
        """;
}
