using System.Globalization;
using System.Text.Json;
using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 6: the projected token's lifetime comes from the pod annotation when non-empty, else the service account's,
/// else 3600; it must be an integer in 3600..86400.
/// </summary>
public static class TokenExpirationRule
{
    /// <summary>The lifetime in seconds, or an error naming the annotation, where it was found, the value and the range.</summary>
    public static bool TryResolve(JsonElement pod, ServiceAccountIdentity serviceAccount, out long seconds, out string? error)
    {
        ArgumentNullException.ThrowIfNull(serviceAccount);
        const string Key = WorkloadIdentityAnnotations.ServiceAccountTokenExpiration;
        string? value = PodJson.Annotation(pod, Key);
        var source = "pod";
        if (string.IsNullOrEmpty(value))
        {
            source = $"service account {serviceAccount.Namespace}/{serviceAccount.Name}";
            if (!serviceAccount.Annotations.TryGetValue(Key, out value) || string.IsNullOrEmpty(value))
            {
                seconds = WorkloadIdentityDefaults.TokenExpirationSeconds;
                error = null;
                return true;
            }
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seconds)
            && seconds >= WorkloadIdentityDefaults.MinTokenExpirationSeconds
            && seconds <= WorkloadIdentityDefaults.MaxTokenExpirationSeconds)
        {
            error = null;
            return true;
        }

        error = $"annotation '{Key}' on the {source} has value \"{value}\"; expected an integer number of seconds between "
            + $"{WorkloadIdentityDefaults.MinTokenExpirationSeconds} and {WorkloadIdentityDefaults.MaxTokenExpirationSeconds} inclusive";
        return false;
    }
}
