using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AzureWorkloadIdentity.Sandbox.Kubernetes;
using k8s.Models;

namespace AzureWorkloadIdentity.Sandbox.Tests.Kubernetes.OpenApi;

/// <summary>
/// Writes the OpenAPI v3 <c>components.schemas</c> the sandbox API server serves (its embedded
/// <c>OpenApi/schemas.json</c>) from KubernetesClient's models: every kind of the <see cref="ResourceCatalog"/> that
/// has a model, with the types it reaches. Field names from <c>JsonPropertyName</c>, types from the properties,
/// descriptions from the XML documentation. (KubernetesClient 21's models no longer say which fields are required,
/// so the schemas have no <c>required</c> lists and explain marks no field <c>-required-</c>.) Schema names
/// and shapes follow kube-apiserver's (<c>io.k8s.api.core.v1.PodSpec</c>, <c>allOf</c> around a <c>$ref</c>), which
/// is what <c>kubectl explain</c> reads.
/// </summary>
internal sealed class OpenApiSchemaGenerator
{
    private const string IntOrStringName = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    private const string QuantityName = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    // Types of k8s.io/apimachinery's meta/v1 package that the kinds reach; every other model is in its kind's group.
    private static readonly HashSet<string> MetaTypes =
        ["V1ObjectMeta", "V1ListMeta", "V1LabelSelector", "V1LabelSelectorRequirement", "V1OwnerReference", "V1ManagedFieldsEntry", "V1Condition"];

    private readonly ModelDocumentation _documentation;
    private readonly SortedDictionary<string, JsonObject> _schemas = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _names = [];

    private OpenApiSchemaGenerator(ModelDocumentation documentation) => _documentation = documentation;

    /// <summary>The schemas, by name, as the committed resource holds them.</summary>
    public static JsonObject Generate()
    {
        var models = typeof(V1Pod).Assembly;
        var generator = new OpenApiSchemaGenerator(ModelDocumentation.For(models));
        var served = new ResourceCatalog().All.Select(t => (t.Group, t.Version, t.Kind)).ToHashSet();
        var kinds = models.GetTypes()
            .Select(type => (Type: type, Entity: type.GetCustomAttribute<KubernetesEntityAttribute>()))
            .Where(k => k.Entity is not null && served.Contains((k.Entity.Group, k.Entity.ApiVersion, k.Entity.Kind)))
            .OrderBy(k => k.Entity!.Group.Length == 0 ? string.Empty : k.Entity.Group, StringComparer.Ordinal)
            .ThenBy(k => k.Entity!.Kind, StringComparer.Ordinal);
        foreach (var (type, entity) in kinds)
        {
            var name = generator.NameOf(type, entity!.Group);
            generator._schemas[name]["x-kubernetes-group-version-kind"] = new JsonArray(
                new JsonObject { ["group"] = entity.Group, ["kind"] = entity.Kind, ["version"] = entity.ApiVersion });
        }

        var result = new JsonObject();
        foreach (var (name, schema) in generator._schemas)
        {
            result[name] = schema;
        }

        return result;
    }

    /// <summary>The schema name of a model, generating its schema the first time it is reached.</summary>
    private string NameOf(Type type, string group)
    {
        if (_names.TryGetValue(type, out var known))
        {
            return known;
        }

        var shortName = StripVersion(type.Name);
        var package = MetaTypes.Contains(type.Name) ? "io.k8s.apimachinery.pkg.apis.meta.v1" : PackageOf(group);
        var name = $"{package}.{shortName}";
        if (_schemas.ContainsKey(name))
        {
            throw new InvalidOperationException($"two models map to the schema name {name}");
        }

        _names[type] = name;
        var schema = new JsonObject();
        _schemas[name] = schema;
        if (_documentation.OfType(type) is { } summary)
        {
            schema["description"] = summary;
        }

        var properties = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>() is not { } json)
            {
                continue;
            }

            var field = Field(property.PropertyType, group);
            if (_documentation.OfProperty(property) is { } description)
            {
                field["description"] = description;
            }

            properties[json.Name] = field;
        }

        if (properties.Count > 0)
        {
            var node = new JsonObject();
            foreach (var (field, value) in properties)
            {
                node[field] = value;
            }

            schema["properties"] = node;
        }

        schema["type"] = "object";
        return name;
    }

    // IntOrString and Quantity are oneOf schemas without a type, as kube-apiserver's v3 documents have them: kubectl
    // explain then names them (<IntOrString>) instead of printing a primitive type.

    /// <summary>A field's schema: a model is referenced as kube-apiserver does it, <c>allOf</c> around the <c>$ref</c>.</summary>
    private JsonObject Field(Type type, string group) => Reference(type, group) is { } name
        ? new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/" + name }) }
        : Inline(type, group);

    private JsonObject Item(Type type, string group) => Reference(type, group) is { } name
        ? new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/" + name }), ["default"] = new JsonObject() }
        : Inline(type, group);

    private string? Reference(Type type, string group)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(IntOrString))
        {
            _schemas.TryAdd(IntOrStringName, new JsonObject
            {
                ["description"] = "IntOrString is a type that can hold an int32 or a string.",
                ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
                ["x-kubernetes-int-or-string"] = true,
            });
            return IntOrStringName;
        }

        if (type == typeof(ResourceQuantity))
        {
            _schemas.TryAdd(QuantityName, new JsonObject
            {
                ["description"] = "Quantity is a fixed-point representation of a number, such as 100m, 1Gi or 2.5.",
                ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "number" }),
            });
            return QuantityName;
        }

        return type.Namespace == typeof(V1Pod).Namespace && type.IsClass && type.GetCustomAttribute<JsonConverterAttribute>() is null
            ? NameOf(type, group)
            : null;
    }

    private JsonObject Inline(Type type, string group)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return new JsonObject { ["format"] = type == typeof(int) ? "int32" : "int64", ["type"] = "integer" };
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return new JsonObject { ["format"] = "double", ["type"] = "number" };
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new JsonObject { ["format"] = "date-time", ["type"] = "string" };
        }

        if (type == typeof(byte[]))
        {
            return new JsonObject { ["format"] = "byte", ["type"] = "string" };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        {
            return new JsonObject { ["additionalProperties"] = Item(type.GetGenericArguments()[1], group), ["type"] = "object" };
        }

        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            return new JsonObject { ["items"] = Item(type.GetGenericArguments()[0], group), ["type"] = "array" };
        }

        // object (RawExtension, JSON): any value.
        return new JsonObject { ["type"] = "object" };
    }

    // V1PodSpec → PodSpec; Corev1Event, Rbacv1Subject (names the client disambiguates by group) → Event, Subject.
    private static string StripVersion(string name)
    {
        var match = System.Text.RegularExpressions.Regex.Match(name, "^([A-Z][a-z]+)?[Vv][0-9]+((alpha|beta)[0-9]+)?(?<rest>[A-Z].*)$");
        return match.Success ? match.Groups["rest"].Value : name;
    }

    private static string PackageOf(string group) => group switch
    {
        "" => "io.k8s.api.core.v1",
        "apiextensions.k8s.io" => "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1",
        _ => $"io.k8s.api.{group.Split('.')[0]}.v1",
    };
}
