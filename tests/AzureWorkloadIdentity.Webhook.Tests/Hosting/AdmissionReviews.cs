using System.Text;
using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Webhook.Tests.Hosting;

/// <summary>Builds AdmissionReview requests and posts them.</summary>
public static class AdmissionReviews
{
    public static JsonObject Create(JsonObject pod, string apiVersion = "admission.k8s.io/v1", string operation = "CREATE", string uid = "uid-1", string @namespace = "apps") => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
            ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
            ["namespace"] = @namespace,
            ["operation"] = operation,
            ["userInfo"] = new JsonObject { ["username"] = "system:serviceaccount:kube-system:replicaset-controller" },
            ["object"] = pod.DeepClone(),
            ["dryRun"] = false,
        },
    };

    /// <summary>A review of a workload (apps/v1 or batch/v1 <paramref name="kind"/>), as the API server sends it to the workload entry.</summary>
    public static JsonObject CreateWorkload(JsonObject workload, string group, string kind, string operation = "CREATE", string @namespace = "apps")
    {
        var review = Create(workload, operation: operation, @namespace: @namespace);
        review["request"]!["kind"] = new JsonObject { ["group"] = group, ["version"] = "v1", ["kind"] = kind };
        review["request"]!["resource"] = new JsonObject { ["group"] = group, ["version"] = "v1", ["resource"] = kind.ToLowerInvariant() + "s" };
        review["request"]!["userInfo"] = new JsonObject { ["username"] = "kubernetes-admin" };
        return review;
    }

    public static async Task<(HttpResponseMessage Response, JsonObject? Review)> PostAsync(
        HttpClient client, string body, string contentType = "application/json", CancellationToken cancellationToken = default, string path = "/mutate-v1-pod")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = contentType.Length == 0 ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        var response = await client.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var isJson = response.Content.Headers.ContentType?.MediaType == "application/json";
        return (response, isJson ? (JsonObject)JsonNode.Parse(text)! : null);
    }
}
