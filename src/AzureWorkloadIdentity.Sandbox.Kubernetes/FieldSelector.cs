using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// A <c>fieldSelector</c> query: comma-separated <c>path=value</c>, <c>path==value</c> or <c>path!=value</c>,
/// where path is a dotted field path such as <c>metadata.name</c> or <c>spec.serviceAccountName</c>.
/// </summary>
public sealed class FieldSelector
{
    private readonly (string[] Path, string Value, bool Equal)[] _requirements;

    private FieldSelector((string[] Path, string Value, bool Equal)[] requirements) => _requirements = requirements;

    public static FieldSelector Everything { get; } = new([]);

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<(string[], string, bool)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var notEqual = part.IndexOf("!=", StringComparison.Ordinal);
            var equal = part.IndexOf('=', StringComparison.Ordinal);
            if (notEqual > 0)
            {
                requirements.Add((part[..notEqual].Split('.'), part[(notEqual + 2)..], false));
            }
            else if (equal > 0)
            {
                var valueStart = part.AsSpan(equal).StartsWith("==") ? equal + 2 : equal + 1;
                requirements.Add((part[..equal].Split('.'), part[valueStart..], true));
            }
            else
            {
                throw KubernetesApiException.BadRequest($"invalid field selector \"{text}\": expected field=value");
            }
        }

        return new FieldSelector([.. requirements]);
    }

    public bool Matches(StoredObject stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (_requirements.Length == 0)
        {
            return true;
        }

        var json = stored.ToJsonObject();
        foreach (var (path, value, equal) in _requirements)
        {
            JsonNode? node = json;
            foreach (var segment in path)
            {
                node = node is JsonObject o ? o[segment] : null;
            }

            var actual = node is JsonValue v ? v.ToString() : string.Empty;
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
