namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// A resource URL taken apart: <c>/api/v1/...</c> or <c>/apis/{group}/{version}/...</c>, followed by
/// <c>{resource}[/{name}[/{subresource}]]</c> or <c>namespaces/{namespace}/{resource}[/{name}[/{subresource}]]</c>.
/// </summary>
public sealed record ResourcePath(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)
{
    public static bool TryParse(string path, out ResourcePath? result)
    {
        ArgumentNullException.ThrowIfNull(path);
        result = null;
        var segments = path.Trim('/').Split('/');
        string group;
        string version;
        int rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return false;
        }

        var tail = segments[rest..];
        if (tail.Any(s => s.Length == 0))
        {
            return false;
        }

        result = tail switch
        {
            [var resource] => new ResourcePath(group, version, null, resource, null, null),
            ["namespaces", var name] => new ResourcePath(group, version, null, "namespaces", name, null),
            ["namespaces", var name, "status" or "finalize"] => new ResourcePath(group, version, null, "namespaces", name, tail[2]),
            ["namespaces", var ns, var resource] => new ResourcePath(group, version, ns, resource, null, null),
            ["namespaces", var ns, var resource, var name] => new ResourcePath(group, version, ns, resource, name, null),
            ["namespaces", var ns, var resource, var name, var sub] => new ResourcePath(group, version, ns, resource, name, sub),
            [var resource, var name] => new ResourcePath(group, version, null, resource, name, null),
            [var resource, var name, var sub] => new ResourcePath(group, version, null, resource, name, sub),
            _ => null,
        };
        return result is not null;
    }
}
