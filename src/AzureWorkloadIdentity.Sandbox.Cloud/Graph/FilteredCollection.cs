using System.Text.Json.Nodes;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>
/// A Graph collection GET with the one <c>$filter</c> form the sandbox supports (<c>property eq 'value'</c>) over a
/// fixed set of filterable properties; any other property is refused with Graph's unsupported-query error.
/// </summary>
internal static class FilteredCollection
{
    public static IResult List<T>(
        HttpContext context,
        string entitySet,
        string description,
        IEnumerable<T> items,
        IReadOnlyList<(string Name, Func<T, string> Value)> filterable,
        Func<T, JsonObject> represent) =>
        List(context, entitySet, description, items, [.. filterable.Select(f => (f.Name, f.Value, StringComparison.OrdinalIgnoreCase))], represent);

    /// <summary>As above, each filterable property with its own comparison (Entra matches some exactly).</summary>
    public static IResult List<T>(
        HttpContext context,
        string entitySet,
        string description,
        IEnumerable<T> items,
        IReadOnlyList<(string Name, Func<T, string> Value, StringComparison Comparison)> filterable,
        Func<T, JsonObject> represent)
    {
        if (ODataQuery.Read(context, out var refusal) is not { } query)
        {
            return refusal!;
        }

        Func<T, string>? property = null;
        var comparison = StringComparison.OrdinalIgnoreCase;
        if (query.FilterProperty is not null)
        {
            (_, property, comparison) = filterable.FirstOrDefault(p => query.Filters(p.Name));
            if (property is null)
            {
                return GraphError.Create(
                    context,
                    StatusCodes.Status400BadRequest,
                    GraphError.UnsupportedQuery,
                    $"Unsupported property '{query.FilterProperty}' in $filter; the sandbox filters {description} by {string.Join(", ", filterable.Select(p => p.Name))}.");
            }
        }

        var selected = items
            .Where(item => property is null || string.Equals(property(item), query.FilterValue, comparison))
            .Select(represent);
        return GraphJson.Collection(context, entitySet, selected, query);
    }
}
