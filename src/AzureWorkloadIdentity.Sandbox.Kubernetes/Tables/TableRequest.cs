namespace AzureWorkloadIdentity.Sandbox.Kubernetes.Tables;

/// <summary>
/// A request for the server-side printing kubectl asks for (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>,
/// or <c>v=v1beta1</c>) with its <c>includeObject</c> choice (<c>None</c>, <c>Metadata</c> — the default — or <c>Object</c>).
/// </summary>
public sealed record TableRequest(string ApiVersion, string IncludeObject)
{
    /// <summary>The table the request asks for, or null when its first servable media type is plain JSON (or protobuf).</summary>
    public static TableRequest? From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept))
        {
            return null;
        }

        var askedForTable = false;
        foreach (var range in accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = range.Split(';', StringSplitOptions.TrimEntries);
            var parameters = parts.Skip(1)
                .Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0].ToLowerInvariant(), p => p[1], StringComparer.Ordinal);
            if (!parameters.TryGetValue("as", out var shape))
            {
                return null;
            }

            if (shape != "Table")
            {
                continue;
            }

            askedForTable = true;
            if (parts[0] is "application/json" or "*/*"
                && parameters.GetValueOrDefault("g") == "meta.k8s.io"
                && parameters.GetValueOrDefault("v") is "v1" or "v1beta1")
            {
                return new TableRequest("meta.k8s.io/" + parameters["v"], IncludeObjectOf(request));
            }
        }

        return askedForTable
            ? throw new KubernetesApiException(406, "NotAcceptable",
                $"only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=Table;v=v1beta1;g=meta.k8s.io (got '{accept}')")
            : null;
    }

    private static string IncludeObjectOf(HttpRequest request)
    {
        var value = request.Query["includeObject"].ToString();
        return value switch
        {
            "" => "Metadata",
            "None" or "Metadata" or "Object" => value,
            _ => throw KubernetesApiException.BadRequest(
                $"Invalid value: \"{value}\": includeObject must be one of None, Metadata or Object"),
        };
    }
}
