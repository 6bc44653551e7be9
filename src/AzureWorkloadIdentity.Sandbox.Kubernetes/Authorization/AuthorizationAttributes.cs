using AzureWorkloadIdentity.Sandbox.Kubernetes.Authentication;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;

/// <summary>
/// What a request asks to do, in the terms RBAC rules speak: a verb on a resource (group, resource, subresource,
/// namespace, name) or on a non-resource path. <see cref="FromRequest"/> reads them off the URL and method as
/// kube-apiserver's request-info resolver does (GET of a collection is list or watch, DELETE of one is
/// deletecollection, <c>/namespaces/{name}</c> is in the namespace it names).
/// </summary>
public sealed record AuthorizationAttributes(
    UserInfo User,
    string Verb,
    bool IsResourceRequest,
    string Path = "",
    string ApiGroup = "",
    string ApiVersion = "",
    string Namespace = "",
    string Resource = "",
    string Subresource = "",
    string Name = "")
{
    public static AuthorizationAttributes ForResource(
        UserInfo user, string verb, string apiGroup, string resource, string @namespace = "", string name = "", string subresource = "", string apiVersion = "") =>
        new(user, verb, true, ApiGroup: apiGroup, ApiVersion: apiVersion, Namespace: @namespace, Resource: resource, Subresource: subresource, Name: name);

    public static AuthorizationAttributes ForPath(UserInfo user, string verb, string path) => new(user, verb, false, Path: path);

    public static AuthorizationAttributes FromRequest(HttpRequest request, UserInfo user)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path.Value ?? "/";
        var nonResource = ForPath(user, request.Method.ToLowerInvariant(), path);
        var parts = path.Trim('/').Split('/', StringSplitOptions.None);
        if (parts.Length < 3 || parts[0] is not ("api" or "apis") || (parts[0] == "apis" && parts.Length < 4))
        {
            return nonResource;
        }

        var group = parts[0] == "apis" ? parts[1] : string.Empty;
        var rest = parts.AsSpan(parts[0] == "apis" ? 2 : 1);
        var version = rest[0];
        rest = rest[1..];
        string verb;
        if (rest[0] is "watch" or "proxy" && rest.Length > 1)
        {
            verb = rest[0];
            rest = rest[1..];
        }
        else
        {
            verb = request.Method switch
            {
                "POST" => "create",
                "GET" or "HEAD" => "get",
                "PUT" => "update",
                "PATCH" => "patch",
                "DELETE" => "delete",
                _ => string.Empty,
            };
        }

        var ns = string.Empty;
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            ns = rest[1];
            if (rest.Length > 2 && rest[2] is not ("status" or "finalize"))
            {
                rest = rest[2..];
            }
        }

        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : string.Empty;
        var subresource = rest.Length > 2 && verb != "proxy" ? rest[2] : string.Empty;
        var query = request.Query;
        if (name.Length == 0 && verb == "get")
        {
            verb = query["watch"].ToString() is "true" or "1" ? "watch" : "list";
            name = ExactName(query["fieldSelector"].ToString());
        }

        if (name.Length == 0 && verb == "delete")
        {
            verb = "deletecollection";
        }

        return new AuthorizationAttributes(user, verb, true, path, group, version, ns, resource, subresource, name);
    }

    /// <summary>The name a field selector pins (<c>metadata.name=x</c>), so a list of one named object can be allowed by resourceNames.</summary>
    private static string ExactName(string selector)
    {
        foreach (var term in selector.Split(',', StringSplitOptions.TrimEntries))
        {
            var value = term.StartsWith("metadata.name==", StringComparison.Ordinal) ? term["metadata.name==".Length..]
                : term.StartsWith("metadata.name=", StringComparison.Ordinal) ? term["metadata.name=".Length..]
                : null;
            if (!string.IsNullOrEmpty(value) && !value.Contains('/', StringComparison.Ordinal) && value is not ("." or ".."))
            {
                return value;
            }
        }

        return string.Empty;
    }
}
