using k8s.Models;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>Evaluates a Kubernetes label selector as the API server does for webhook namespace and object selectors.</summary>
internal static class LabelSelectorMatch
{
    /// <summary>Whether <paramref name="labels"/> match; a null or empty selector matches everything. Names the first unmet requirement.</summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string> labels, out string unmet)
    {
        ArgumentNullException.ThrowIfNull(labels);
        unmet = string.Empty;
        foreach (var (key, value) in selector?.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                unmet = $"matchLabels {key}={value}";
                return false;
            }
        }

        foreach (var requirement in selector?.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(requirement.Key, out var actual);
            var values = requirement.Values ?? [];
            var met = requirement.OperatorProperty switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!met)
            {
                unmet = $"{requirement.Key} {requirement.OperatorProperty} [{string.Join(", ", values)}]";
                return false;
            }
        }

        return true;
    }
}
