using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// The API server's MutatingAdmissionWebhook step: every webhook of every MutatingWebhookConfiguration (in name
/// order) whose rules, namespaceSelector and objectSelector match is called over HTTPS, trusting only its
/// <c>caBundle</c>, with its <c>timeoutSeconds</c>; its JSON patch is applied, its warnings passed on, its denial
/// returned to the client; a failed call follows <c>failurePolicy</c>. <c>clientConfig.url</c> is called as given;
/// <c>clientConfig.service</c> through the Service's ready endpoints (<see cref="WebhookTarget"/>), the certificate
/// checked for <c>&lt;svc&gt;.&lt;ns&gt;.svc</c>. <c>reinvocationPolicy: IfNeeded</c> calls a webhook again when a
/// later one changed the object. It runs for CREATE and for UPDATE (PUT and PATCH, with <c>oldObject</c>;
/// <c>pods/status</c> rules for status writes), as the handler calls every admission step.
/// </summary>
public sealed class MutatingWebhookAdmission : IAdmissionPlugin
{
    /// <summary>Where each call's wait and outcome is recorded; null (the default) records nothing.</summary>
    public WebhookCallTimings? Timings { get; init; }

    public async Task AdmitAsync(AdmissionAttributes attributes, JsonObject value, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(warnings);
        var (configurations, _) = attributes.Store.List(ResourceCatalog.MutatingWebhookConfigurations, null);
        var called = new List<(JsonObject Webhook, int Order)>();
        var lastChange = -1;
        var order = 0;
        foreach (var configuration in configurations)
        {
            foreach (var webhook in (configuration.ToJsonObject()["webhooks"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Matches(webhook, attributes, value))
                {
                    if (await CallChangedAsync(webhook, attributes, value, warnings, cancellationToken))
                    {
                        lastChange = order;
                    }

                    called.Add((webhook, order++));
                }
            }
        }

        // reinvocationPolicy IfNeeded, as kube-apiserver: a webhook that saw the object before a later webhook changed
        // it is called once more, in order; changes made in this second round cause no further calls.
        foreach (var (webhook, position) in called)
        {
            if (position < lastChange && webhook["reinvocationPolicy"]?.GetValue<string>() == "IfNeeded")
            {
                await CallChangedAsync(webhook, attributes, value, warnings, cancellationToken);
            }
        }
    }

    private async Task<bool> CallChangedAsync(JsonObject webhook, AdmissionAttributes attributes, JsonObject value, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        var before = value.DeepClone();
        await CallAsync(webhook, attributes, value, warnings, cancellationToken);
        return !JsonNode.DeepEquals(before, value);
    }

    private static bool Matches(JsonObject webhook, AdmissionAttributes attributes, JsonObject value)
    {
        var type = attributes.Type;
        var ruleMatches = (webhook["rules"] as JsonArray ?? []).OfType<JsonObject>().Any(rule =>
            Contains(rule["operations"], attributes.Operation)
            && Contains(rule["apiGroups"], type.Group)
            && Contains(rule["apiVersions"], type.Version)
            && Contains(rule["resources"], attributes.Subresource is { } sub ? type.Plural + "/" + sub : type.Plural)
            && ScopeMatches(rule["scope"]?.GetValue<string>(), type.Namespaced));
        if (!ruleMatches)
        {
            return false;
        }

        if (type.Namespaced && attributes.Namespace is { } ns && webhook["namespaceSelector"] is JsonObject namespaceSelector)
        {
            var namespaceLabels = Labels(attributes.Store.Get(ResourceCatalog.Namespaces, null, ns).ToJsonObject());
            if (!Selector(namespaceSelector).Matches(namespaceLabels))
            {
                return false;
            }
        }

        return webhook["objectSelector"] is not JsonObject objectSelector || Selector(objectSelector).Matches(Labels(value));
    }

    private async Task CallAsync(JsonObject webhook, AdmissionAttributes attributes, JsonObject value, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        var name = webhook["name"]?.GetValue<string>() ?? "(unnamed)";
        var ignoreFailures = webhook["failurePolicy"]?.GetValue<string>() == "Ignore";
        var timeout = TimeSpan.FromSeconds(webhook["timeoutSeconds"]?.GetValue<int>() ?? 10);
        var version = (webhook["admissionReviewVersions"] as JsonArray)?.Select(v => v?.GetValue<string>()).FirstOrDefault(v => v is "v1" or "v1beta1") ?? "v1";
        var uid = Guid.NewGuid().ToString();
        JsonObject? response;
        var called = Stopwatch.GetTimestamp();
        var sent = called;
        var pausedBefore = GC.GetTotalPauseDuration();
        var waited = TimeSpan.Zero;
        var paused = TimeSpan.Zero;
        try
        {
            var clientConfig = webhook["clientConfig"] as JsonObject ?? [];
            var target = WebhookTarget.Resolve(clientConfig, attributes.Store);
            var http = WebhookClients.For(clientConfig["caBundle"]?.GetValue<string>(), target, CreateClient);
            using var review = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(Review(version, uid, attributes, value)));
            review.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);

            // The wait: from handing the review to the client to having the answer's bytes (WebhookCallTimings).
            sent = Stopwatch.GetTimestamp();
            pausedBefore = GC.GetTotalPauseDuration();
            using var answer = await http.PostAsync(target.Url, review, deadline.Token);
            var body = await answer.Content.ReadAsByteArrayAsync(deadline.Token);
            waited = Stopwatch.GetElapsedTime(sent);
            paused = GC.GetTotalPauseDuration() - pausedBefore;
            if (!answer.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"the server responded with status {(int)answer.StatusCode}: {Encoding.UTF8.GetString(body)}");
            }

            response = JsonNode.Parse(body)?["response"] as JsonObject
                ?? throw new InvalidOperationException("the response has no 'response' object");
            if (response["uid"]?.GetValue<string>() != uid)
            {
                throw new InvalidOperationException($"expected response.uid=\"{uid}\"");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or JsonException)
        {
            // A call that failed before its answer was read waited until now.
            var answered = waited != TimeSpan.Zero;
            Timings?.Record(answered ? waited : Stopwatch.GetElapsedTime(sent), answered ? paused : GC.GetTotalPauseDuration() - pausedBefore,
                Stopwatch.GetElapsedTime(called), WebhookCallOutcome.Failed);
            if (ignoreFailures)
            {
                return;
            }

            throw new KubernetesApiException(500, "InternalError", $"Internal error occurred: failed calling webhook \"{name}\": {e.Message}");
        }

        foreach (var warning in (response["warnings"] as JsonArray ?? []).Select(w => w?.GetValue<string>()).OfType<string>())
        {
            warnings.Add(warning);
        }

        var allowed = response["allowed"]?.GetValue<bool>() == true;
        Timings?.Record(waited, paused, Stopwatch.GetElapsedTime(called), allowed ? WebhookCallOutcome.Allowed : WebhookCallOutcome.Refused);
        if (!allowed)
        {
            var status = response["status"] as JsonObject;
            var code = status?["code"]?.GetValue<int>() ?? 400;
            var message = status?["message"]?.GetValue<string>() ?? string.Empty;
            throw new KubernetesApiException(code, status?["reason"]?.GetValue<string>() ?? "BadRequest",
                $"admission webhook \"{name}\" denied the request: {message}");
        }

        if (response["patch"]?.GetValue<string>() is { Length: > 0 } patch)
        {
            var operations = JsonSerializer.Deserialize<JsonPatchDocument>(Convert.FromBase64String(patch))
                ?? throw new KubernetesApiException(500, "InternalError", $"webhook \"{name}\" returned an empty patch");
            try
            {
                operations.ApplyTo(value);
            }
            catch (Exception e) when (e is Microsoft.AspNetCore.JsonPatch.SystemTextJson.Exceptions.JsonPatchException or InvalidOperationException)
            {
                throw new KubernetesApiException(500, "InternalError", $"Internal error occurred: webhook \"{name}\" returned a patch that does not apply: {e.Message}");
            }
        }
    }

    private static JsonObject Review(string version, string uid, AdmissionAttributes attributes, JsonObject value)
    {
        var type = attributes.Type;
        var request = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
            ["resource"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["resource"] = type.Plural },
            ["requestKind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
            ["requestResource"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["resource"] = type.Plural },
            ["name"] = value["metadata"]?["name"]?.GetValue<string>() ?? string.Empty,
            ["operation"] = attributes.Operation,
            ["userInfo"] = Authentication.UserInfo.Admin.ToJson(), // the admin, not yet the requesting user (docs/kubernetes-sandbox.md, "Where it differs")
            ["object"] = value.DeepClone(),
            ["oldObject"] = attributes.OldObject?.DeepClone(),
            ["dryRun"] = attributes.DryRun,
            ["options"] = new JsonObject { ["apiVersion"] = "meta.k8s.io/v1", ["kind"] = attributes.Operation == "UPDATE" ? "UpdateOptions" : "CreateOptions" },
        };
        if (attributes.Subresource is { } subresource)
        {
            request["subResource"] = subresource;
            request["requestSubResource"] = subresource;
        }
        if (attributes.Namespace is { } ns)
        {
            request["namespace"] = ns;
        }

        return new JsonObject
        {
            ["apiVersion"] = $"admission.k8s.io/{version}",
            ["kind"] = "AdmissionReview",
            ["request"] = request,
        };
    }

    private static HttpClient CreateClient(string? caBundle, WebhookTarget target)
    {
        // Connections are reused across calls (as kube-apiserver keeps them), and renewed every half minute so a
        // rotated serving certificate is checked again against the caBundle of the moment.
        var handler = new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) };
        if (target.Endpoint is { } endpoint)
        {
            // The URL names the Service (<svc>.<ns>.svc, what the certificate must name); the connection goes to
            // the ready endpoint kube-apiserver's service resolver picks.
            handler.ConnectCallback = async (_, token) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(endpoint, token);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        if (!string.IsNullOrEmpty(caBundle))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(Encoding.UTF8.GetString(Convert.FromBase64String(caBundle)));
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (target.Endpoint is not null && errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch)))
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            };
        }

        // Each call has its own deadline (the webhook's timeoutSeconds), so the client itself never times out. As
        // kube-apiserver's client does, HTTP/2 is offered through ALPN: concurrent calls share one multiplexed
        // connection instead of opening (and verifying) one TLS connection each; a server without HTTP/2 gets 1.1.
        return new HttpClient(handler, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    private static bool Contains(JsonNode? list, string value) =>
        list is JsonArray array && array.Any(v => v?.GetValue<string>() is { } s && (s == "*" || s == value));

    private static bool ScopeMatches(string? scope, bool namespaced) => scope switch
    {
        null or "*" => true,
        "Namespaced" => namespaced,
        "Cluster" => !namespaced,
        _ => false,
    };

    private static Dictionary<string, string> Labels(JsonObject value) =>
        (value["metadata"]?["labels"] as JsonObject ?? [])
            .Where(p => p.Value is not null)
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    private static LabelSelector Selector(JsonObject selector) => LabelSelector.FromParts(
        (selector["matchLabels"] as JsonObject ?? []).Select(p => KeyValuePair.Create(p.Key, p.Value?.GetValue<string>() ?? string.Empty)),
        (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>().Select(e => (
            e["key"]?.GetValue<string>() ?? string.Empty,
            e["operator"]?.GetValue<string>() ?? string.Empty,
            (IReadOnlyList<string>)[.. (e["values"] as JsonArray ?? []).Select(v => v?.GetValue<string>() ?? string.Empty)])));
}
