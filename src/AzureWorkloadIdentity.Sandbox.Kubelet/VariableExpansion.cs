using System.Text;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// Kubernetes' <c>$(VAR_NAME)</c> references in env values, <c>command</c> and <c>args</c>: a reference to a defined
/// variable is replaced by its value, <c>$$</c> is an escaped <c>$</c>, and anything else — an undefined name, a
/// <c>$(</c> that is never closed, a <c>$</c> before another character — stays as written, as the kubelet leaves it.
/// </summary>
public static class VariableExpansion
{
    public static string Expand(string input, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lookup);
        if (!input.Contains('$', StringComparison.Ordinal))
        {
            return input;
        }

        var output = new StringBuilder(input.Length);
        var i = 0;
        while (i < input.Length)
        {
            if (input[i] != '$' || i + 1 == input.Length)
            {
                output.Append(input[i++]);
                continue;
            }

            var next = input[i + 1];
            var close = next == '(' ? input.IndexOf(')', i + 2) : -1;
            if (next == '$')
            {
                output.Append('$');
                i += 2;
            }
            else if (close > 0 && lookup(input[(i + 2)..close]) is { } value)
            {
                output.Append(value);
                i = close + 1;
            }
            else if (close > 0)
            {
                output.Append(input, i, close + 1 - i);
                i = close + 1;
            }
            else
            {
                // "$(" never closed, or "$" before an ordinary character: both characters stay as written.
                output.Append('$').Append(next);
                i += 2;
            }
        }

        return output.ToString();
    }
}
