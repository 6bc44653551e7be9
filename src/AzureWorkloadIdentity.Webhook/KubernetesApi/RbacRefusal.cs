using System.Text.RegularExpressions;

namespace AzureWorkloadIdentity.Webhook.KubernetesApi;

/// <summary>
/// What a 403 from the API server refused, as its RBAC message says it (<c>… cannot get resource "secrets" in API
/// group "" …</c>), so the log can name the permission the chart's ClusterRole/Role lacks. When the message has
/// another shape (an admission plugin, a proxy), the verb and resource are read from the request instead.
/// </summary>
internal static partial class RbacRefusal
{
    /// <summary>The permission refused: a verb and <c>resource[.group]</c> (e.g. <c>mutatingwebhookconfigurations.admissionregistration.k8s.io</c>).</summary>
    public static (string Verb, string Resource) Describe(HttpMethod method, Uri uri, string? message)
    {
        if (message is not null && RbacMessage().Match(message) is { Success: true } match)
        {
            var group = match.Groups["group"].Value;
            return (match.Groups["verb"].Value, match.Groups["resource"].Value + (group.Length > 0 ? "." + group : ""));
        }

        return (Verb(method, uri), Resource(uri));
    }

    private static string Verb(HttpMethod method, Uri uri)
    {
        if (method != HttpMethod.Get)
        {
            return method.Method switch { "POST" => "create", "PUT" => "update", "PATCH" => "patch", "DELETE" => "delete", _ => method.Method.ToLowerInvariant() };
        }

        if (uri.Query.Contains("watch=true", StringComparison.Ordinal))
        {
            return "watch";
        }

        var segments = Segments(uri);
        return CollectionIndex(segments) == segments.Length - 1 ? "list" : "get";
    }

    /// <summary><c>resource[.group]</c> from <c>/api/v1[/namespaces/ns]/resource[/name[/sub]]</c> or <c>/apis/group/version/…</c>.</summary>
    private static string Resource(Uri uri)
    {
        var segments = Segments(uri);
        var index = CollectionIndex(segments);
        if (index < 0 || index >= segments.Length)
        {
            return uri.AbsolutePath;
        }

        var group = segments[0] == "apis" && segments.Length > 1 ? "." + segments[1] : "";
        var subresource = index + 2 < segments.Length ? "/" + segments[index + 2] : "";
        return segments[index] + subresource + group;
    }

    private static string[] Segments(Uri uri) => uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Where the resource name is in the path: after the version, or after <c>namespaces/ns</c>.</summary>
    private static int CollectionIndex(string[] segments)
    {
        var start = Array.IndexOf(segments, "api") is var core && core >= 0 ? core + 2 : Array.IndexOf(segments, "apis") is var named && named >= 0 ? named + 3 : -1;
        if (start < 0)
        {
            return -1;
        }

        return start + 2 < segments.Length && segments[start] == "namespaces" ? start + 2 : start;
    }

    [GeneratedRegex("""cannot (?<verb>[a-z]+) resource "(?<resource>[^"]+)" in API group "(?<group>[^"]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex RbacMessage();
}
