using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AzureWorkloadIdentity.Sandbox.Graph;

/// <summary>
/// The OData query options the Graph SDK sends for the calls azwi makes: <c>$filter=prop eq 'value'</c> (OData
/// string literal: a quote inside the value is doubled), <c>$select</c> and <c>$top</c>. Other options
/// (<c>$count</c>, <c>$orderby</c>, …) are ignored, as Graph ignores what a collection does not support.
/// </summary>
internal sealed partial class ODataQuery
{
    private ODataQuery(string? filterProperty, string? filterValue, IReadOnlyList<string>? select, int? top)
    {
        FilterProperty = filterProperty;
        FilterValue = filterValue;
        Select = select;
        Top = top;
    }

    /// <summary>The property of an <c>eq</c> filter, or null when there is no filter.</summary>
    public string? FilterProperty { get; }

    /// <summary>The unquoted value of the <c>eq</c> filter.</summary>
    public string? FilterValue { get; }

    public IReadOnlyList<string>? Select { get; }

    public int? Top { get; }

    /// <summary>Parses the request's query options; <paramref name="error"/> says what Graph would refuse.</summary>
    public static ODataQuery? Parse(IQueryCollection query, out string? error)
    {
        error = null;
        string? property = null, value = null;
        var filter = query["$filter"].ToString();
        if (filter.Length > 0)
        {
            var match = EqualsFilter().Match(filter);
            if (!match.Success)
            {
                error = $"Unsupported or invalid query filter clause specified: '{filter}'. The sandbox supports \"<property> eq '<value>'\".";
                return null;
            }

            property = match.Groups["property"].Value;
            value = match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
        }

        int? top = null;
        var topText = query["$top"].ToString();
        if (topText.Length > 0)
        {
            if (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 999)
            {
                error = $"Invalid page size specified: '{topText}'. Must be between 1 and 999 inclusive.";
                return null;
            }

            top = parsed;
        }

        var selectText = query["$select"].ToString();
        IReadOnlyList<string>? select = selectText.Length > 0
            ? selectText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;
        return new ODataQuery(property, value, select, top);
    }

    /// <summary>The request's query options, or Graph's <c>Request_UnsupportedQuery</c> answer in <paramref name="refusal"/>.</summary>
    public static ODataQuery? Read(HttpContext context, out IResult? refusal)
    {
        var query = Parse(context.Request.Query, out var error);
        refusal = query is null ? GraphError.Create(context, StatusCodes.Status400BadRequest, GraphError.UnsupportedQuery, error!) : null;
        return query;
    }

    /// <summary>Whether the filter names <paramref name="property"/> (property names are case-insensitive).</summary>
    public bool Filters(string property) => string.Equals(FilterProperty, property, StringComparison.OrdinalIgnoreCase);

    /// <summary>Keeps only the <c>$select</c>ed properties (and <c>id</c>, which Graph always returns).</summary>
    public JsonObject Project(JsonObject entity)
    {
        if (Select is null)
        {
            return entity;
        }

        var projected = new JsonObject();
        foreach (var (name, value) in entity.ToList())
        {
            if (name == "id" || Select.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                entity.Remove(name);
                projected[name] = value;
            }
        }

        return projected;
    }

    [GeneratedRegex(@"^\s*(?<property>[A-Za-z][A-Za-z0-9]*)\s+eq\s+'(?<value>(?:[^']|'')*)'\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex EqualsFilter();
}
