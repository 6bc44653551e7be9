using System.Globalization;
using System.Text;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Streaming;

/// <summary>
/// <c>GET /api/v1/namespaces/{ns}/pods/{name}/log</c>: a container's log as plain text from the kubelet that runs the
/// pod, with the query kubectl sends — <c>container</c>, <c>follow</c> (the answer streams until the container
/// ends), <c>previous</c>, <c>tailLines</c>, <c>timestamps</c> (each line prefixed with its RFC 3339 time, nine
/// fraction digits as the kubelet writes them), <c>sinceSeconds</c>/<c>sinceTime</c> and <c>limitBytes</c>.
/// </summary>
internal static class PodLogEndpoint
{
    public static async Task HandleAsync(HttpContext context, ObjectStore store, IKubeletStreams kubelet, ResourcePath path, TimeProvider time)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            throw new KubernetesApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({context.Request.Method} pods/log)");
        }

        var query = context.Request.Query;
        var pod = store.Get(ResourceCatalog.Pods, path.Namespace, path.Name!).ToJsonObject();
        var container = PodContainers.Choose(pod, path.Name!, query["container"]);
        var options = Parse(query, time);
        var timestamps = QueryFlag.IsTrue(query["timestamps"]);
        long? limit = query["limitBytes"].Count > 0 ? Positive(query["limitBytes"], "limitBytes") : null;

        var lines = kubelet.ReadLogAsync(path.Namespace!, path.Name!, container, options, context.RequestAborted);
        await using var enumerator = lines.GetAsyncEnumerator(context.RequestAborted);
        // The first line (or the end) decides between a log and an error: the kubelet's errors come before any output.
        var any = await enumerator.MoveNextAsync();
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        long written = 0;
        while (any)
        {
            var line = enumerator.Current;
            var text = timestamps
                ? line.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z " + line.Text + "\n"
                : line.Text + "\n";
            var bytes = Encoding.UTF8.GetBytes(text);
            if (limit is { } max && written + bytes.Length >= max)
            {
                await context.Response.Body.WriteAsync(bytes.AsMemory(0, (int)(max - written)), context.RequestAborted);
                return;
            }

            written += bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            if (options.Follow)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            any = await enumerator.MoveNextAsync();
        }
    }

    private static ContainerLogQuery Parse(IQueryCollection query, TimeProvider time)
    {
        long? tail = null;
        if (query["tailLines"].Count > 0)
        {
            tail = long.TryParse(query["tailLines"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var lines) && lines >= 0
                ? lines
                : throw Invalid("tailLines", query["tailLines"]!, "must be greater than or equal to 0");
        }

        if (query["sinceSeconds"].Count > 0 && query["sinceTime"].Count > 0)
        {
            throw KubernetesApiException.BadRequest("PodLogOptions is invalid: at most one of `sinceTime` or `sinceSeconds` may be specified");
        }

        DateTimeOffset? since = null;
        if (query["sinceSeconds"].Count > 0)
        {
            since = time.GetUtcNow().AddSeconds(-Positive(query["sinceSeconds"], "sinceSeconds"));
        }
        else if (query["sinceTime"].Count > 0)
        {
            since = DateTimeOffset.TryParse(query["sinceTime"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw Invalid("sinceTime", query["sinceTime"]!, "must be an RFC 3339 time such as 2024-01-01T10:00:00Z");
        }

        return new ContainerLogQuery(QueryFlag.IsTrue(query["previous"]), QueryFlag.IsTrue(query["follow"]), tail, since);
    }

    private static long Positive(string? value, string name) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw Invalid(name, value ?? string.Empty, "must be greater than 0");

    private static KubernetesApiException Invalid(string field, string value, string detail) =>
        KubernetesApiException.BadRequest($"PodLogOptions is invalid: {field}: Invalid value: \"{value}\": {detail}");
}
