using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

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
        Func<T, JsonObject> represent)
    {
        if (ODataQuery.Read(context, out var refusal) is not { } query)
        {
            return refusal!;
        }

        Func<T, string>? property = null;
        if (query.FilterProperty is not null)
        {
            property = filterable.FirstOrDefault(p => query.Filters(p.Name)).Value;
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
            .Where(item => property is null || string.Equals(property(item), query.FilterValue, StringComparison.OrdinalIgnoreCase))
            .Select(represent);
        return GraphJson.Collection(context, entitySet, selected, query);
    }
}
