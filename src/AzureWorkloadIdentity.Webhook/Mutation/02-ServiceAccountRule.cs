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

    /// <summary>The account, or why there is none. <paramref name="cancellationToken"/> carries the admission's deadline.</summary>
    public static async ValueTask<RuleResult<ServiceAccountIdentity>> FindAsync(
        IServiceAccountLookup lookup, string @namespace, string name, AdmissionBudget? budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);
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

        return account is null
            ? new Denial(DenialReasons.ServiceAccountNotFound,
                $"service account {@namespace}/{name} not found; create it before the pod, or set spec.serviceAccountName to an existing one")
            : account;
    }
}
