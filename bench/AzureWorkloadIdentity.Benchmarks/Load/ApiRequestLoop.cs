using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using AzureWorkloadIdentity.Sandbox.Oidc;
using AzureWorkloadIdentity.Sandbox.Primitives;

namespace AzureWorkloadIdentity.Benchmarks.Load;

/// <summary>
/// <c>api-loop [requests] [admin|serviceaccount]</c>: times a create loop and a list loop against the sandbox
/// Kubernetes API over HTTPS, one request at a time, as the admin or as a service account whose token the
/// TokenRequest API issued (bound by a RoleBinding to a Role that allows it). It measures what authentication and
/// authorization add to each request; figures are in docs/performance.md.
/// </summary>
public static class ApiRequestLoop
{
    private const string Namespace = "loop";

    public static async Task<int> RunAsync(string[] args)
    {
        var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var asServiceAccount = args.Length > 1 && args[1] == "serviceaccount";
        using var signingKey = SigningKey.Generate();
        using var issuer = new ServiceAccountIssuer("https://issuer.loop.test/", signingKey);
        await using var server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { TokenSigner = issuer });
        using var http = new HttpClient(server.CreateTrustingHandler()) { BaseAddress = server.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.BearerToken);
        await SendAsync(http, HttpMethod.Post, "api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = Namespace } });
        if (asServiceAccount)
        {
            var token = await ServiceAccountTokenAsync(http);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        // Warm up the connection, JIT and caches before timing.
        for (var i = 0; i < 50; i++)
        {
            await SendAsync(http, HttpMethod.Post, $"api/v1/namespaces/{Namespace}/configmaps", ConfigMap("warm-" + i.ToString(CultureInfo.InvariantCulture)));
            await SendAsync(http, HttpMethod.Get, $"api/v1/namespaces/{Namespace}/configmaps?limit=10", null);
        }

        var create = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            await SendAsync(http, HttpMethod.Post, $"api/v1/namespaces/{Namespace}/configmaps", ConfigMap("cm-" + i.ToString(CultureInfo.InvariantCulture)));
        }

        create.Stop();
        var list = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            await SendAsync(http, HttpMethod.Get, $"api/v1/namespaces/{Namespace}/configmaps?limit=10", null);
        }

        list.Stop();
        await Console.Out.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"{(asServiceAccount ? "serviceaccount" : "admin")}: {requests} creates {create.Elapsed.TotalMicroseconds / requests:F0} µs each, {requests} lists {list.Elapsed.TotalMicroseconds / requests:F0} µs each"));
        return 0;
    }

    private static async Task<string> ServiceAccountTokenAsync(HttpClient http)
    {
        await SendAsync(http, HttpMethod.Post, $"api/v1/namespaces/{Namespace}/serviceaccounts", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "looper" } });
        await SendAsync(http, HttpMethod.Post, $"apis/rbac.authorization.k8s.io/v1/namespaces/{Namespace}/roles", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "configmaps" },
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray(""),
                ["resources"] = new JsonArray("configmaps"),
                ["verbs"] = new JsonArray("create", "list"),
            }),
        });
        await SendAsync(http, HttpMethod.Post, $"apis/rbac.authorization.k8s.io/v1/namespaces/{Namespace}/rolebindings", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "looper" },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = "configmaps" },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "looper", ["namespace"] = Namespace }),
        });
        var answer = await SendAsync(http, HttpMethod.Post, $"api/v1/namespaces/{Namespace}/serviceaccounts/looper/token", new JsonObject { ["spec"] = new JsonObject() });
        return JsonNode.Parse(answer)!["status"]!["token"]!.GetValue<string>();
    }

    private static JsonObject ConfigMap(string name) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["key"] = "value" },
    };

    private static async Task<string> SendAsync(HttpClient http, HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? text
            : throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
    }
}
