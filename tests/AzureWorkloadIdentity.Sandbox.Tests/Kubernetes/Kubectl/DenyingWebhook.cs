using System.Text;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Primitives;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.Kubectl;

/// <summary>
/// A mutating admission webhook on loopback HTTPS (the sandbox's own <see cref="LoopbackHttpsServer"/> with a CA of
/// its own) that refuses every pod it is asked about, registered with the sandbox for pods carrying one label only (so
/// the other tests sharing the sandbox never reach it); disposing it removes its configuration.
/// </summary>
public sealed class DenyingWebhook : IAsyncDisposable
{
    private readonly SandboxTls _tls = SandboxTls.Create();
    private readonly ObjectStore _store;
    private readonly string _configuration = "deny-" + Guid.NewGuid().ToString("N")[..8];
    private LoopbackHttpsServer? _server;

    private DenyingWebhook(ObjectStore store, string name, string message)
    {
        _store = store;
        Name = name;
        Message = message;
    }

    /// <summary>The webhook's name, as the API server's denial quotes it.</summary>
    public string Name { get; }

    /// <summary>What the webhook answers.</summary>
    public string Message { get; }

    /// <summary>Starts the webhook and registers it for pods labelled <paramref name="label"/>=<paramref name="value"/>.</summary>
    public static async Task<DenyingWebhook> StartAsync(ObjectStore store, string name, string message, string label, string value)
    {
        var webhook = new DenyingWebhook(store, name, message);
        var port = await webhook.ListenAsync();
        webhook.Register(port, label, value);
        return webhook;
    }

    private async Task<int> ListenAsync()
    {
        _server = await LoopbackHttpsServer.StartAsync(_tls, app => app.MapPost("/deny", async (HttpContext context) =>
        {
            var review = (await JsonNode.ParseAsync(context.Request.Body))!;
            var response = new JsonObject
            {
                ["uid"] = review["request"]!["uid"]!.GetValue<string>(),
                ["allowed"] = false,
                ["status"] = new JsonObject { ["code"] = 403, ["message"] = Message },
            };
            return Results.Json(new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response });
        }));
        return _server.BaseUri.Port;
    }

    private void Register(int port, string label, string value) =>
        _store.Create(ResourceCatalog.MutatingWebhookConfigurations, null, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = _configuration },
            ["webhooks"] = new JsonArray(new JsonObject
            {
                ["name"] = Name,
                ["admissionReviewVersions"] = new JsonArray("v1"),
                ["sideEffects"] = "None",
                ["failurePolicy"] = "Fail",
                ["timeoutSeconds"] = 5,
                ["clientConfig"] = new JsonObject
                {
                    ["url"] = $"https://127.0.0.1:{port}/deny",
                    ["caBundle"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(_tls.CaPem)),
                },
                ["objectSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [label] = value } },
                ["rules"] = JsonNode.Parse("""[{"apiGroups":[""],"apiVersions":["v1"],"operations":["CREATE"],"resources":["pods"],"scope":"Namespaced"}]"""),
            }),
        });

    public async ValueTask DisposeAsync()
    {
        if (_store.TryGet(ResourceCatalog.MutatingWebhookConfigurations, null, _configuration, out _))
        {
            _store.Delete(ResourceCatalog.MutatingWebhookConfigurations, null, _configuration);
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _tls.Dispose();
    }
}
