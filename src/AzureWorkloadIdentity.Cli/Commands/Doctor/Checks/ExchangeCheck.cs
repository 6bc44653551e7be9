using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>
/// WI-EX-001 (with <c>--exchange</c>): the real exchange, as the pod's SDK performs it: a fresh TokenRequest token
/// (the pod's audience and lifetime) presented to the cloud's Entra ID as a client assertion; a refusal is printed
/// with its AADSTS code and what that code means here.
/// </summary>
internal sealed class ExchangeCheck : IDoctorCheck
{
    public string Code => DoctorCodes.Exchange;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var account = await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false);
        if (!context.Exchange || ServiceAccountFacts.ClientId(account) is not { } clientId || !ServiceAccountFacts.IsGuid(clientId))
        {
            return null;
        }

        var token = await context.TokenAsync(cancellationToken).ConfigureAwait(false);
        var tenant = ServiceAccountFacts.TenantId(account) ?? await SignedInTenantAsync(context, cancellationToken).ConfigureAwait(false);
        if (token.Token is null || tenant is null)
        {
            return DoctorFinding.Fail(Code, token.Token is null ? $"no token to exchange: {token.Error}" : "no tenant to exchange in: the service account has no tenant-id and azwi could not sign in",
                "fix the failed checks above, or annotate the service account with azure.workload.identity/tenant-id");
        }

        var options = new ClientAssertionCredentialOptions
        {
            AuthorityHost = context.Cloud.Cloud.AuthorityHost,
            DisableInstanceDiscovery = context.Cloud.IsCustom,
            Transport = new HttpClientTransport(new HttpClient(context.CreateHandler(), disposeHandler: true)),
        };
        options.Retry.MaxRetries = 0;
        var credential = new ClientAssertionCredential(tenant, clientId, _ => Task.FromResult(token.Token), options);
        try
        {
            var access = await credential.GetTokenAsync(new TokenRequestContext([context.Cloud.ResourceManagerScope]), cancellationToken).ConfigureAwait(false);
            return DoctorFinding.Pass(Code, $"Entra ID exchanged the service account token for an access token (expires {access.ExpiresOn:u})");
        }
        catch (AuthenticationFailedException exception)
        {
            var message = CommandActions.Describe(exception).ReplaceLineEndings(" ");
            if (AadstsCodes.Find(message) is { } code)
            {
                return DoctorFinding.Fail(Code,
                    $"Entra ID refused the exchange with AADSTS{code}: {AadstsCodes.Meaning(code)}",
                    "fix the failed checks above; the full answer: " + FirstLine(message));
            }

            return DoctorFinding.Fail(Code, $"the exchange failed: {message}", "check the cloud (--azure-env) and that Entra ID is reachable");
        }
    }

    private static async Task<string?> SignedInTenantAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (context.HasFailed(DoctorCodes.AzureSignIn))
        {
            return null;
        }

        return (await context.AzureAsync(cancellationToken).ConfigureAwait(false)).TenantId;
    }

    // The AADSTS sentence without the trace and correlation ids Entra ID appends.
    private static string FirstLine(string message)
    {
        var start = message.IndexOf("AADSTS", StringComparison.Ordinal);
        var text = start < 0 ? message : message[start..];
        var end = text.IndexOf(" Trace ID", StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }
}
