namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Authorization;

/// <summary>
/// kube-apiserver's 403: <c>&lt;resource&gt;[.&lt;group&gt;] ["&lt;name&gt;"] is forbidden: User "&lt;user&gt;" cannot
/// &lt;verb&gt; resource "&lt;resource&gt;[/&lt;subresource&gt;]" in API group "&lt;group&gt;" in the namespace
/// "&lt;ns&gt;"</c> (or <c>at the cluster scope</c>), or <c>forbidden: User "…" cannot get path "/…"</c>, with the
/// authorizer's reason after a colon when it has one; reason <c>Forbidden</c>, details naming group, resource and name.
/// </summary>
internal static class Forbidden
{
    public static KubernetesApiException For(AuthorizationAttributes request, string reason)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = Sanitize(Message(request));
        if (reason.Length > 0)
        {
            message += ": " + reason;
        }

        if (!request.IsResourceRequest)
        {
            return new KubernetesApiException(403, "Forbidden", "forbidden: " + message);
        }

        var qualified = request.ApiGroup.Length == 0 ? request.Resource : request.Resource + "." + request.ApiGroup;
        var subject = request.Name.Length == 0 ? qualified : $"{qualified} \"{request.Name}\"";
        var type = new ResourceType(request.ApiGroup, request.ApiVersion, request.Resource, string.Empty, request.Namespace.Length > 0);
        return new KubernetesApiException(403, "Forbidden", $"{subject} is forbidden: {message}", type, request.Name.Length == 0 ? null : request.Name);
    }

    private static string Message(AuthorizationAttributes request)
    {
        var user = request.User.Name;
        if (!request.IsResourceRequest)
        {
            return $"User \"{user}\" cannot {request.Verb} path \"{request.Path}\"";
        }

        var resource = request.Subresource.Length == 0 ? request.Resource : request.Resource + "/" + request.Subresource;
        var scope = request.Namespace.Length == 0 ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        return $"User \"{user}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.ApiGroup}\" {scope}";
    }

    // kube-apiserver escapes these so a name cannot inject markup into a browser that shows the message.
    private static string Sanitize(string message) =>
        message.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
