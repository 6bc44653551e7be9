namespace AzureWorkloadIdentity.Sandbox.Kubernetes;

/// <summary>
/// A <c>labelSelector</c> query: comma-separated requirements <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>,
/// <c>!k</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>; all must hold.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private LabelSelector(List<Func<IReadOnlyDictionary<string, string>, bool>> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.TrueForAll(r => r(labels));

    /// <summary>Parses a selector; throws a 400 <see cref="KubernetesApiException"/> when malformed.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim(), text));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>Builds a selector from a Kubernetes <c>LabelSelector</c> object's parts (matchLabels, matchExpressions).</summary>
    public static LabelSelector FromParts(
        IEnumerable<KeyValuePair<string, string>> matchLabels,
        IEnumerable<(string Key, string Operator, IReadOnlyList<string> Values)> matchExpressions)
    {
        ArgumentNullException.ThrowIfNull(matchLabels);
        ArgumentNullException.ThrowIfNull(matchExpressions);
        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var (key, value) in matchLabels)
        {
            requirements.Add(l => l.TryGetValue(key, out var v) && v == value);
        }

        foreach (var (key, op, values) in matchExpressions)
        {
            requirements.Add(op switch
            {
                "In" => l => l.TryGetValue(key, out var v) && values.Contains(v),
                "NotIn" => l => !l.TryGetValue(key, out var v) || !values.Contains(v),
                "Exists" => l => l.ContainsKey(key),
                "DoesNotExist" => l => !l.ContainsKey(key),
                _ => throw KubernetesApiException.BadRequest($"unsupported label selector operator \"{op}\""),
            });
        }

        return new LabelSelector(requirements);
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Malformed(whole);
        }

        var words = part.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length >= 2 && (words[1] == "in" || words[1] == "notin"))
        {
            var list = part[(part.IndexOf(words[1], StringComparison.Ordinal) + words[1].Length)..].Trim();
            if (!list.StartsWith('(') || !list.EndsWith(')'))
            {
                throw Malformed(whole);
            }

            var key = words[0];
            var values = list[1..^1].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            return words[1] == "in"
                ? l => l.TryGetValue(key, out var v) && values.Contains(v)
                : l => !l.TryGetValue(key, out var v) || !values.Contains(v);
        }

        var notEqual = part.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual > 0)
        {
            var key = part[..notEqual].Trim();
            var value = part[(notEqual + 2)..].Trim();
            return l => !l.TryGetValue(key, out var v) || v != value;
        }

        var equal = part.IndexOf('=', StringComparison.Ordinal);
        if (equal > 0)
        {
            var key = part[..equal].Trim();
            var value = part[(equal + (part.AsSpan(equal).StartsWith("==") ? 2 : 1))..].Trim();
            return l => l.TryGetValue(key, out var v) && v == value;
        }

        if (part.StartsWith('!'))
        {
            var key = part[1..].Trim();
            return l => !l.ContainsKey(key);
        }

        if (part.Contains(' ', StringComparison.Ordinal) || part.Contains('(', StringComparison.Ordinal))
        {
            throw Malformed(whole);
        }

        return l => l.ContainsKey(part);
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static KubernetesApiException Malformed(string text) =>
        KubernetesApiException.BadRequest($"unable to parse requirement: invalid label selector \"{text}\"");
}
