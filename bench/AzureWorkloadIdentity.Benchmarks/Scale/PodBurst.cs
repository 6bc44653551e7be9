using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Kubernetes.Controllers;

namespace AzureWorkloadIdentity.Benchmarks.Scale;

/// <summary>
/// Bursts of pod creations through the sandbox API server with the webhook registered (objectSelector on the use
/// label, failurePolicy Fail, as the chart registers it): direct creates from concurrent clients, and a Deployment
/// scaled from 0 to <c>pods</c> by the sandbox's Deployment and ReplicaSet controllers. No kubelet runs: the pods
/// are stored, mutated or refused, never started. Every stored pod is then checked for the webhook's mutation.
/// </summary>
internal sealed class PodBurst(KubernetesApiServer server, WebhookCallTimings timings)
{
    private const string Namespace = "burst";
    private const string Account = "burst-workload";
    private readonly string _clientId = Guid.NewGuid().ToString();
    private GcSnapshot _gcAtStart;

    public void Register(int webhookPort, string caFile)
    {
        server.Store.EnsureNamespaceExists(Namespace);
        server.Store.Create(ResourceCatalog.ServiceAccounts, Namespace, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = Account,
                ["annotations"] = new JsonObject { [WorkloadIdentityAnnotations.ClientId] = _clientId },
            },
        });
        server.Store.Create(ResourceCatalog.MutatingWebhookConfigurations, null, JsonNode.Parse($$$"""
            {"metadata":{"name":"azure-wi-webhook-mutating-webhook-configuration"},
             "webhooks":[{"name":"mutation.azure-workload-identity.io","admissionReviewVersions":["v1","v1beta1"],
               "sideEffects":"None","failurePolicy":"Fail","reinvocationPolicy":"IfNeeded","timeoutSeconds":10,
               "objectSelector":{"matchLabels":{"azure.workload.identity/use":"true"}},
               "clientConfig":{"url":"https://127.0.0.1:{{{webhookPort}}}/mutate-v1-pod",
                 "caBundle":"{{{Convert.ToBase64String(File.ReadAllBytes(caFile))}}}"},
               "rules":[{"apiGroups":[""],"apiVersions":["v1"],"operations":["CREATE"],"resources":["pods"],"scope":"*"}]}]}
            """)!.AsObject());
    }

    /// <summary>
    /// The body of direct burst <paramref name="round"/>, one JSON line: a pod with <c>generateName</c>, so that the
    /// load generator (h2load, its clients a separate process as real clients are) posts the same body every time
    /// and each create still makes a new pod. Resets the call timings: the burst starts next.
    /// </summary>
    public string DirectPod(int round)
    {
        var pod = Pod(string.Empty);
        var metadata = pod["metadata"]!.AsObject();
        metadata.Remove("name");
        metadata["generateName"] = DirectPrefix(round);
        Reset();
        return pod.ToJsonString();
    }

    /// <summary>
    /// What direct burst <paramref name="round"/> left: the pods stored and mutated and the API server's wait for the
    /// webhook. The first burst after <see cref="Register"/> is cold (the API server opens its connection to the
    /// webhook and runs its admission code for the first time); a later one finds both warm, as a burst in a running
    /// cluster does.
    /// </summary>
    public string DirectReport(int round, int pods, int clients, TimeSpan elapsed, int refusals)
    {
        var label = round == 1 ? "direct, cold" : $"direct, warm (burst {round})";
        return Report($"{label}: {pods} creates from {clients} clients", elapsed, DirectPrefix(round), pods, refusals);
    }

    private static string DirectPrefix(int round) => $"direct{round}-";

    /// <summary>A Deployment created with 0 replicas, then scaled to <paramref name="pods"/>; waits for every pod.</summary>
    public async Task<string> DeploymentAsync(int pods, TimeSpan patience)
    {
        await using var controllers = WorkloadControllers.Start(server);
        using var http = Client();
        var deployment = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "rollout" },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "rollout" } },
                ["template"] = new JsonObject { ["metadata"] = Pod("unused")["metadata"]!.DeepClone(), ["spec"] = Pod("unused")["spec"]!.DeepClone() },
            },
        };
        deployment["spec"]!["template"]!["metadata"]!.AsObject().Remove("name");
        deployment["spec"]!["template"]!["metadata"]!["labels"]!["app"] = "rollout";
        await SendAsync(http, HttpMethod.Post, $"apis/apps/v1/namespaces/{Namespace}/deployments", deployment.ToJsonString(), "application/json");
        Reset();
        var clock = Stopwatch.StartNew();
        await SendAsync(http, HttpMethod.Patch, $"apis/apps/v1/namespaces/{Namespace}/deployments/rollout",
            $$$"""{"spec":{"replicas":{{{pods}}}}}""", "application/merge-patch+json");
        // Counted from the store's names, not parsed: this loop runs inside the API server's process, and parsing every
        // stored pod each time allocated more than the burst itself (40 gen1 collections of the API server per burst).
        while (StoredCount("rollout-") < pods && clock.Elapsed < patience)
        {
            await Task.Delay(50);
        }

        return Report($"deployment: scaled 0 -> {pods}", clock.Elapsed, "rollout-", pods, refusals: 0);
    }

    private string Report(string what, TimeSpan elapsed, string prefix, int expected, int refusals)
    {
        var stored = Stored(prefix);
        var mutated = stored.Count(IsMutated);
        return string.Create(CultureInfo.InvariantCulture,
            $"{what}: {elapsed.TotalSeconds:F1} s, {stored.Count}/{expected} pods stored, {mutated} mutated correctly, " +
            $"{refusals} create requests refused; webhook calls {timings.Allowed} allowed, {timings.Refused} refused, {timings.Failed} failed; " +
            $"API server's wait for the webhook p50 {timings.Percentile(0.50):F2} ms, p99 {timings.Percentile(0.99):F2} ms, max {timings.Percentile(1):F2} ms; " +
            $"the same less the API server's own GC pauses p50 {timings.UnpausedPercentile(0.50):F2} ms, p99 {timings.UnpausedPercentile(0.99):F2} ms, max {timings.UnpausedPercentile(1):F2} ms; " +
            $"whole call (review built, wait, answer read) p50 {timings.CallPercentile(0.50):F2} ms, p99 {timings.CallPercentile(0.99):F2} ms; " +
            $"the API server's collections meanwhile: {GcSnapshot.Now() - _gcAtStart}");
    }

    /// <summary>The call timings and the collection counters start again: a burst begins.</summary>
    private void Reset()
    {
        timings.Reset();
        _gcAtStart = GcSnapshot.Now();
    }

    /// <summary>The sandbox process's garbage collections so far: a pause of the API server is inside every wait it measures.</summary>
    private readonly record struct GcSnapshot(int Gen0, int Gen1, int Gen2, TimeSpan Paused)
    {
        public static GcSnapshot Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

        public static GcSnapshot operator -(GcSnapshot after, GcSnapshot before) =>
            new(after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.Paused - before.Paused);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Gen0} collections ({Gen1} of gen1, {Gen2} of gen2), paused {Paused.TotalMilliseconds:F1} ms in all");
    }

    private int StoredCount(string prefix) =>
        server.Store.List(ResourceCatalog.Pods, Namespace).Items.Count(p => p.Name.Name.StartsWith(prefix, StringComparison.Ordinal));

    private List<JsonObject> Stored(string prefix) =>
        [.. server.Store.List(ResourceCatalog.Pods, Namespace).Items.Where(p => p.Name.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.ToJsonObject())];

    // The webhook's mutation as the fixtures expect it: the token volume, and in every container the client id of the
    // pod's account and the token file variable.
    private bool IsMutated(JsonObject pod)
    {
        var spec = pod["spec"]!;
        var volume = (spec["volumes"] as JsonArray ?? []).Any(v => v?["name"]?.GetValue<string>() == WorkloadIdentityDefaults.TokenVolumeName);
        return volume && (spec["containers"] as JsonArray ?? []).All(c =>
        {
            var env = (c?["env"] as JsonArray ?? []).ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]?.GetValue<string>());
            return env.GetValueOrDefault(WorkloadIdentityEnvironment.ClientId) == _clientId && env.ContainsKey(WorkloadIdentityEnvironment.FederatedTokenFile);
        });
    }

    private static JsonObject Pod(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [WorkloadIdentityLabels.Use] = "true" } },
        ["spec"] = new JsonObject
        {
            ["serviceAccountName"] = Account,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.local/app:1" }),
        },
    };

    private HttpClient Client()
    {
        var http = new HttpClient(server.CreateTrustingHandler()) { BaseAddress = server.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.BearerToken);
        return http;
    }

    private static async Task SendAsync(HttpClient http, HttpMethod method, string path, string body, string contentType)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        using var answer = await http.SendAsync(request);
        if (!answer.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }
    }
}
