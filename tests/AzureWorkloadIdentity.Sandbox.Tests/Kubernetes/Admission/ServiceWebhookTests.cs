using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Core.Certificates;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Admission;

/// <summary>
/// Mutating webhooks registered with <c>clientConfig.service</c>: called through the Service's Endpoints with the
/// certificate checked for <c>&lt;svc&gt;.&lt;ns&gt;.svc</c> against <c>caBundle</c>, and reinvoked per
/// <c>reinvocationPolicy: IfNeeded</c>.
/// </summary>
public sealed class ServiceWebhookTests : IAsyncLifetime
{
    private const int Timeout = 60_000;
    private readonly CertificateAuthority _ca = CertificateAuthority.Create("webhook test CA", DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromDays(1));
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly List<string> _protocols = [];
    private readonly List<string> _connections = [];
    private KubernetesApiServer _server = null!;
    private WebApplication? _webhook;
    private TimeSpan _forcedPause;

    public async Task InitializeAsync()
    {
        var options = new KubernetesApiServerOptions { TokenSigner = new FakeTokenSigner() };
        options.Admission.Add(new MutatingWebhookAdmission());
        _server = await KubernetesApiServer.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (_webhook is not null)
        {
            await _webhook.DisposeAsync();
        }

        await _server.DisposeAsync();
        _ca.Dispose();
    }

    [Fact(Timeout = Timeout)]
    public async Task CreatePod_ServiceWebhookWithReadyEndpoint_CalledThroughServiceAndPatched()
    {
        var port = await StartWebhookAsync("hook.system.svc");
        RegisterService(port, ready: true);
        Register(("adds-label", "/label", "Fail", "Never"));

        var pod = CreatePod();

        Assert.Equal("yes", pod["metadata"]!["labels"]!["mutated"]!.GetValue<string>());
        Assert.Equal(1, _calls["/label"]);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreatePod_CertificateForAnotherName_FailurePolicyFailRefuses()
    {
        var port = await StartWebhookAsync("other.system.svc");
        RegisterService(port, ready: true);
        Register(("adds-label", "/label", "Fail", "Never"));

        var error = Assert.Throws<KubernetesApiException>(() => CreatePod());

        Assert.Equal(500, error.Code);
        Assert.Contains("failed calling webhook \"adds-label\"", error.Message, StringComparison.Ordinal);
        Assert.False(_calls.ContainsKey("/label"));
    }

    [Fact(Timeout = Timeout)]
    public async Task CreatePod_NoReadyEndpoint_IgnoredOrRefusedPerFailurePolicy()
    {
        var port = await StartWebhookAsync("hook.system.svc");
        RegisterService(port, ready: false);
        Register(("ignored", "/label", "Ignore", "Never"));

        var admitted = CreatePod();
        Register(("refusing", "/label", "Fail", "Never"));
        var error = Assert.Throws<KubernetesApiException>(() => CreatePod("second"));

        Assert.Null(admitted["metadata"]!["labels"]?["mutated"]);
        Assert.Contains("no endpoints available for service \"hook\"", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreatePod_LaterWebhookChangesObject_IfNeededWebhookCalledAgainOnce()
    {
        var port = await StartWebhookAsync("hook.system.svc");
        RegisterService(port, ready: true);
        Register(("a-observer", "/observe", "Fail", "IfNeeded"), ("b-labeller", "/label", "Fail", "IfNeeded"), ("c-never", "/never", "Fail", "Never"));

        CreatePod();

        Assert.Equal(2, _calls["/observe"]);
        Assert.Equal(1, _calls["/label"]);
        Assert.Equal(1, _calls["/never"]);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreatePod_WithTimings_RecordsEachCallsWaitWholeCallAndOutcome()
    {
        var port = await StartWebhookAsync("hook.system.svc");
        RegisterService(port, ready: true);
        var timings = new WebhookCallTimings();
        var admission = new MutatingWebhookAdmission { Timings = timings };
        Register(("adds-label", "/label", "Fail", "Never"));

        Admit("allowed", admission);
        Register(("refuses", "/deny", "Fail", "Never"));
        var error = Assert.Throws<KubernetesApiException>(() => Admit("refused", admission));

        Assert.Contains("denied the request: not this one", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 1, 0), (timings.Allowed, timings.Refused, timings.Failed));
        Assert.Equal(2, timings.SortedMilliseconds().Count);
        Assert.All(timings.SortedMilliseconds(), wait => Assert.True(wait > 0));
        // The whole call also builds the review and reads the answer: never shorter than the wait inside it.
        Assert.True(timings.CallPercentile(0) >= timings.Percentile(0), $"call {timings.CallPercentile(0)} ms, wait {timings.Percentile(0)} ms");
        Assert.True(timings.CallPercentile(1) >= timings.Percentile(1), $"call {timings.CallPercentile(1)} ms, wait {timings.Percentile(1)} ms");
        timings.Reset();
        Assert.True(double.IsNaN(timings.Percentile(0.99)));
        Assert.True(double.IsNaN(timings.CallPercentile(0.99)));
    }

    [Fact(Timeout = Timeout)]
    public async Task CreatePod_ApiServerPausedByItsCollectorDuringTheWait_PauseLeftOutOfTheUnpausedWait()
    {
        var port = await StartWebhookAsync("hook.system.svc");
        RegisterService(port, ready: true);
        var timings = new WebhookCallTimings();
        var admission = new MutatingWebhookAdmission { Timings = timings };
        Register(("collects", "/collect", "Fail", "Never"));
        Admit("warm", admission);
        timings.Reset();

        Admit("collected", admission);
        // The forced collection's own pause (read in the webhook, within the wait) lies inside the wait; any other
        // pause only adds to what is left out.
        var forced = _forcedPause.TotalMilliseconds;

        var wait = timings.Percentile(1);
        var unpaused = timings.UnpausedPercentile(1);
        Assert.True(forced > 0);
        Assert.True(wait - unpaused >= forced * 0.999, $"wait {wait:F3} ms, unpaused {unpaused:F3} ms, forced collection {forced:F3} ms");
        Assert.True(unpaused >= 0);
    }

    [Fact(Timeout = Timeout)]
    public async Task CreatePods_TwentyAtOnce_OneHttp2ConnectionCarriesEveryCall()
    {
        var port = await StartWebhookAsync("hook.system.svc");
        RegisterService(port, ready: true);
        Register(("adds-label", "/label", "Fail", "Never"));
        var admission = new MutatingWebhookAdmission();
        await AdmitAsync("first", admission);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => AdmitAsync($"burst-{i}", admission)));

        Assert.Equal(21, _calls["/label"]);
        Assert.Equal(["HTTP/2"], _protocols.Distinct());
        Assert.Single(_connections.Distinct());
    }

    private JsonObject CreatePod(string name = "app") =>
        _server.Store.Get(ResourceCatalog.Pods, "apps", Admit(name)).ToJsonObject();

    private string Admit(string name, MutatingWebhookAdmission? admission = null) =>
        AdmitAsync(name, admission).GetAwaiter().GetResult();

    private async Task<string> AdmitAsync(string name, MutatingWebhookAdmission? admission = null)
    {
        var value = JsonNode.Parse($$$"""{"metadata":{"name":"{{{name}}}","namespace":"apps"},"spec":{"containers":[{"name":"c","image":"i"}]}}""")!.AsObject();
        _server.Store.EnsureNamespaceExists("apps");
        var attributes = new AdmissionAttributes(ResourceCatalog.Pods, "apps", "CREATE", _server.Store);
        await (admission ?? new MutatingWebhookAdmission()).AdmitAsync(attributes, value, new List<string>(), CancellationToken.None);
        _server.Store.Create(ResourceCatalog.Pods, "apps", value);
        return name;
    }

    private async Task<int> StartWebhookAsync(string dnsName)
    {
        var certificate = _ca.IssueServerCertificate([dnsName], [], DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromDays(1));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        _webhook = builder.Build();
        _webhook.MapPost("/{path}", async (HttpContext context, string path) =>
        {
            var review = (await JsonNode.ParseAsync(context.Request.Body))!;
            lock (_calls)
            {
                _calls["/" + path] = _calls.GetValueOrDefault("/" + path) + 1;
                _protocols.Add(context.Request.Protocol);
                _connections.Add(context.Connection.Id);
            }

            if (path == "collect")
            {
                // A blocking collection stops every thread of this process, the API server's included.
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                _forcedPause = GC.GetGCMemoryInfo(GCKind.FullBlocking).PauseDurations[0];
            }

            var labelled = review["request"]!["object"]!["metadata"]!["labels"]?["mutated"] is not null;
            var response = new JsonObject { ["uid"] = review["request"]!["uid"]!.GetValue<string>(), ["allowed"] = path != "deny" };
            if (path == "deny")
            {
                response["status"] = new JsonObject { ["code"] = 403, ["message"] = "not this one" };
            }

            if (path == "label" && !labelled)
            {
                response["patchType"] = "JSONPatch";
                response["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("""[{"op":"add","path":"/metadata/labels","value":{"mutated":"yes"}}]"""));
            }

            return Results.Json(new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response });
        });
        await _webhook.StartAsync();
        var address = _webhook.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address).Port;
    }

    private void RegisterService(int port, bool ready)
    {
        _server.Store.Create(ClusterServices.Services, "system", JsonNode.Parse("""
            {"metadata":{"name":"hook"},"spec":{"selector":{"app":"hook"},"ports":[{"name":"https","port":443,"targetPort":"webhook"}]}}
            """)!.AsObject());
        var addresses = ready ? "addresses" : "notReadyAddresses";
        _server.Store.Create(ClusterServices.Endpoints, "system", JsonNode.Parse($$"""
            {"metadata":{"name":"hook"},"subsets":[{"{{addresses}}":[{"ip":"127.0.0.1"}],"ports":[{"name":"https","port":{{port}}}]}]}
            """)!.AsObject());
    }

    private void Register(params (string Name, string Path, string FailurePolicy, string Reinvocation)[] webhooks)
    {
        var caBundle = Convert.ToBase64String(Encoding.ASCII.GetBytes(_ca.CertificatePem));
        var entries = new JsonArray([.. webhooks.Select(w => (JsonNode)new JsonObject
        {
            ["name"] = w.Name,
            ["admissionReviewVersions"] = new JsonArray("v1"),
            ["sideEffects"] = "None",
            ["failurePolicy"] = w.FailurePolicy,
            ["reinvocationPolicy"] = w.Reinvocation,
            ["timeoutSeconds"] = 5,
            ["clientConfig"] = new JsonObject
            {
                ["caBundle"] = caBundle,
                ["service"] = new JsonObject { ["name"] = "hook", ["namespace"] = "system", ["path"] = w.Path, ["port"] = 443 },
            },
            ["rules"] = JsonNode.Parse("""[{"apiGroups":[""],"apiVersions":["v1"],"operations":["CREATE"],"resources":["pods"],"scope":"Namespaced"}]"""),
        })]);
        var name = "hooks-" + Guid.NewGuid().ToString("N")[..6];
        foreach (var existing in _server.Store.List(ResourceCatalog.MutatingWebhookConfigurations, null).Items)
        {
            _server.Store.Delete(ResourceCatalog.MutatingWebhookConfigurations, null, existing.Name.Name);
        }

        _server.Store.Create(ResourceCatalog.MutatingWebhookConfigurations, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["webhooks"] = entries });
    }
}
