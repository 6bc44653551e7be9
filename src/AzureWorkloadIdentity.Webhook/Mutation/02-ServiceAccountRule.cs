using AzureWorkloadIdentity.Core;
using AzureWorkloadIdentity.Webhook.Admission;
using AzureWorkloadIdentity.Webhook.Mutation.Pods;
using AzureWorkloadIdentity.Webhook.ServiceAccounts;

namespace AzureWorkloadIdentity.Webhook.Mutation;

/// <summary>
/// Rule 2: the pod runs as <c>spec.serviceAccountName</c>, or <c>default</c>, in the request's namespace. The account
/// comes from the in-memory cache (<see cref="ServiceAccountCache"/>); one that does not exist is refused (400), and a
/// look-up the API server does not answer within the admission's deadline is refused with the cause (500).
/// </summary>
internal static class ServiceAccountRule
{
    /// <summary>The name of the account the pod runs as.</summary>
    public static string NameOf(PodView pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.Spec.ServiceAccountName is { Length: > 0 } named ? named : WorkloadIdentityDefaults.DefaultServiceAccountName;
    }

    /// <summary>
    /// The account, or why there is none. An account the cache holds is answered at once; only a look-up that has
    /// to wait is bounded by <paramref name="deadline"/> (and makes it a token).
    /// </summary>
    public static ValueTask<RuleResult<ServiceAccountIdentity>> FindAsync(
        IServiceAccountLookup lookup, string @namespace, string name, AdmissionDeadline deadline)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(deadline);
        return lookup.TryGetCached(@namespace, name, out var cached)
            ? ValueTask.FromResult(Found(@namespace, name, cached))
            : LookUpAsync(lookup, @namespace, name, deadline);
    }

    private static async ValueTask<RuleResult<ServiceAccountIdentity>> LookUpAsync(
        IServiceAccountLookup lookup, string @namespace, string name, AdmissionDeadline deadline)
    {
        var cancellationToken = deadline.Token;
        var budget = deadline.Budget;
        ServiceAccountIdentity? account;
        try
        {
            account = await lookup.FindAsync(@namespace, name, cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceAccountLookupException exception)
        {
            return new Denial(DenialReasons.ServiceAccountLookupFailed, $"could not look up service account {@namespace}/{name}: {exception.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The deadline (or the API server hanging up): answer while the API server may still be listening.
            var within = budget is null ? "in time" : $"within the admission budget of {budget.Describe()}";
            return new Denial(DenialReasons.ServiceAccountLookupFailed,
                $"could not look up service account {@namespace}/{name}: the Kubernetes API server did not answer {within}; " +
                "check the API server's health and the webhook's connection to it");
        }

        return Found(@namespace, name, account);
    }

    private static RuleResult<ServiceAccountIdentity> Found(string @namespace, string name, ServiceAccountIdentity? account) =>
        account is null
            ? new Denial(DenialReasons.ServiceAccountNotFound,
                $"service account {@namespace}/{name} not found; create it before the pod, or set spec.serviceAccountName to an existing one")
            : account;
}
