namespace AzureWorkloadIdentity.Cli.Cloud;

/// <summary>
/// Builds <c>property eq 'value'</c> filters with the value quoted as an OData string literal: a single quote is
/// doubled, so <c>O'Brien</c> stays one literal and cannot end the string and widen the query (the original
/// pasted values in unescaped).
/// </summary>
internal static class ODataFilter
{
    public static string Equal(string property, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(property);
        ArgumentNullException.ThrowIfNull(value);
        return $"{property} eq {Literal(value)}";
    }

    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
