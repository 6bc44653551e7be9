using System.Text.Json.Nodes;
using Google.Protobuf;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// A minimal OpenAPI v3 (<c>/openapi/v3</c> and one document per group-version): for every resource the PATCH
/// operation with its <c>x-kubernetes-group-version-kind</c> and the <c>fieldValidation</c> and <c>dryRun</c>
/// parameters. That is what kubectl 1.27+ looks for to leave validation to the server instead of downloading
/// schemas; the documents carry no schemas, so <c>kubectl explain</c> has nothing to show.
/// </summary>
internal sealed class OpenApiDocuments(ResourceCatalog catalog, Version kubernetesVersion)
{
    public async Task<bool> TryHandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (!HttpMethods.IsGet(context.Request.Method) || !path.StartsWith("/openapi/", StringComparison.Ordinal))
        {
            return false;
        }

        if (path.TrimEnd('/') == "/openapi/v2")
        {
            await WriteV2Async(context);
            return true;
        }

        var groupVersions = catalog.All.GroupBy(t => t.Group.Length == 0 ? "api/" + t.Version : $"apis/{t.Group}/{t.Version}")
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var hash = catalog.All.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        JsonNode answer;
        if (path.TrimEnd('/') == "/openapi/v3")
        {
            var paths = new JsonObject();
            foreach (var key in groupVersions.Keys.Order(StringComparer.Ordinal))
            {
                paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
            }

            answer = new JsonObject { ["paths"] = paths };
        }
        else if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal) &&
            groupVersions.TryGetValue(path["/openapi/v3/".Length..].TrimEnd('/'), out var types))
        {
            answer = Document(types);
        }
        else
        {
            throw new KubernetesApiException(404, "NotFound", $"the server could not find the requested resource ({path}); this sandbox serves OpenAPI v3 documents by group-version");
        }

        await ApiResponses.WriteJsonAsync(context, 200, answer);
        return true;
    }

    // kubectl before 1.30 reads only /openapi/v2 and only as protobuf (gnostic's openapi_v2.Document). An empty
    // document (swagger 1, info 2 {title 1, version 2}) names no paths and no schemas: kubectl then finds nothing
    // to validate against and leaves the object as written; its apply merges built-in kinds with compiled-in types.
    private async Task WriteV2Async(HttpContext context)
    {
        var info = new ByteString[] { ByteString.CopyFromUtf8("Kubernetes"), ByteString.CopyFromUtf8($"v{kubernetesVersion.Major}.{kubernetesVersion.Minor}.0") };
        using var infoBytes = new MemoryStream();
        using (var output = new CodedOutputStream(infoBytes, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(info[0]);
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(info[1]);
        }

        using var document = new MemoryStream();
        using (var output = new CodedOutputStream(document, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString("2.0");
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(infoBytes.ToArray()));
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
        await context.Response.Body.WriteAsync(document.ToArray(), context.RequestAborted);
    }

    private JsonObject Document(IEnumerable<ResourceType> types)
    {
        var paths = new JsonObject();
        foreach (var type in types.OrderBy(t => t.Plural, StringComparer.Ordinal))
        {
            var prefix = type.Group.Length == 0 ? "/api/" + type.Version : $"/apis/{type.Group}/{type.Version}";
            var scope = type.Namespaced ? "/namespaces/{namespace}" : string.Empty;
            paths[$"{prefix}{scope}/{type.Plural}/{{name}}"] = new JsonObject { ["patch"] = PatchOperation(type) };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = $"v{kubernetesVersion.Major}.{kubernetesVersion.Minor}.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject PatchOperation(ResourceType type) => new()
    {
        ["operationId"] = "patch" + type.Kind,
        ["x-kubernetes-action"] = "patch",
        ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
        ["parameters"] = new JsonArray(
            QueryParameter("dryRun"), QueryParameter("fieldManager"), QueryParameter("fieldValidation"), QueryParameter("force")),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
    };

    private static JsonObject QueryParameter(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
