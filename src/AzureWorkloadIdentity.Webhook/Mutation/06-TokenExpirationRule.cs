using System.Globalization;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 6: the projected token's lifetime comes from the pod annotation when non-empty, else the service account's,
/// else 3600; it must be an integer in 3600..86400.
/// </summary>
internal static class TokenExpirationRule
{
    /// <summary>The lifetime in seconds, or a denial naming the annotation, where it was found, the value and the range.</summary>
    public static RuleResult<long> Resolve(PodView pod, ServiceAccountIdentity serviceAccount)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(serviceAccount);
        const string Key = WorkloadIdentityAnnotations.ServiceAccountTokenExpiration;
        var value = pod.Metadata.Annotations.TokenExpiration;
        var source = "pod";
        if (string.IsNullOrEmpty(value))
        {
            source = $"service account {serviceAccount.Namespace}/{serviceAccount.Name}";
            if (!serviceAccount.Annotations.TryGetValue(Key, out value) || string.IsNullOrEmpty(value))
            {
                return WorkloadIdentityDefaults.TokenExpirationSeconds;
            }
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= WorkloadIdentityDefaults.MinTokenExpirationSeconds
            && seconds <= WorkloadIdentityDefaults.MaxTokenExpirationSeconds)
        {
            return seconds;
        }

        return new Denial(DenialReasons.InvalidTokenExpiration,
            $"annotation '{Key}' on the {source} has value \"{value}\"; expected an integer number of seconds between "
            + $"{WorkloadIdentityDefaults.MinTokenExpirationSeconds} and {WorkloadIdentityDefaults.MaxTokenExpirationSeconds} inclusive");
    }
}
