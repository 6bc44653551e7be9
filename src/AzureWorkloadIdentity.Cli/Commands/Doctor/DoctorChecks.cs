using AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>The checks in the order the chain is walked: webhook, opt-in, service account, pod, issuer, Azure, exchange.</summary>
internal static class DoctorChecks
{
    public static IReadOnlyList<IDoctorCheck> All { get; } =
    [
        new WebhookInstalledCheck(),
        new WebhookEndpointsCheck(),
        new WebhookCaBundleCheck(),
        new WebhookSelectorsCheck(),
        new OptInLabelCheck(),
        new OptInOnTemplateCheck(),
        new OptInValueCheck(),
        new ServiceAccountExistsCheck(),
        new ClientIdPresentCheck(),
        new ClientIdFormatCheck(),
        new NearMissAnnotationCheck(),
        new TenantIdFormatCheck(),
        new TokenExpirationCheck(),
        new PodMutatedCheck(),
        new SkipContainersCheck(),
        new TokenReadableCheck(),
        new IssuerReachableCheck(),
        new TokenIssuerCheck(),
        new AzureSignInCheck(),
        new IdentityExistsCheck(),
        new CredentialIssuerCheck(),
        new CredentialSubjectCheck(),
        new CredentialAudienceCheck(),
        new ExchangeCheck(),
    ];

    /// <summary>Runs every check in order; each sees the findings before it (a broken link silences what depends on it).</summary>
    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, IEnumerable<IDoctorCheck> checks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(checks);
        foreach (var check in checks)
        {
            DoctorFinding? finding;
            try
            {
                finding = await check.RunAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (k8s.Autorest.HttpOperationException exception)
            {
                // E.g. RBAC refusing a read: one failed line for this link instead of ending the whole diagnosis.
                finding = DoctorFinding.Fail(check.Code,
                    $"the check could not read the cluster: {(int)exception.Response.StatusCode} {exception.Response.ReasonPhrase}",
                    "check the kubeconfig's permissions (get on pods, serviceaccounts, namespaces, mutatingwebhookconfigurations; create serviceaccounts/token)");
            }

            if (finding is not null)
            {
                context.Add(finding);
            }
        }

        return context.Findings;
    }
}
