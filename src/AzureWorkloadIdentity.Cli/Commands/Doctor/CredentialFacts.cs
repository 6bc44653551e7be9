namespace AzureWorkloadIdentity.Cli.Commands.Doctor;

/// <summary>
/// The identity's federated credentials next to the token Entra ID would compare them with. Null when an earlier
/// link (identity, sign-in, token) is already reported as broken.
/// </summary>
internal sealed record CredentialFacts(IdentityRecord Identity, ServiceAccountToken Token, string Subject)
{
    public static async Task<CredentialFacts?> ReadAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clientId = ServiceAccountFacts.ClientId(await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false));
        if (clientId is null || !ServiceAccountFacts.IsGuid(clientId) || context.HasFailed(DoctorCodes.AzureSignIn) || context.HasFailed(DoctorCodes.IdentityExists))
        {
            return null;
        }

        var identity = await context.IdentityAsync(clientId, cancellationToken).ConfigureAwait(false);
        var token = await context.TokenAsync(cancellationToken).ConfigureAwait(false);
        return identity is null || token.Issuer is null ? null : new(identity, token, token.Subject ?? context.Target.Subject);
    }

    public IEnumerable<FederatedCredentialRecord> WithIssuer =>
        Identity.Credentials.Where(c => string.Equals(c.Issuer, Token.Issuer, StringComparison.Ordinal));

    public IEnumerable<FederatedCredentialRecord> WithIssuerAndSubject =>
        WithIssuer.Where(c => string.Equals(c.Subject, Subject, StringComparison.Ordinal));

    /// <summary>The credential the user most likely meant, for showing a difference: one with the right subject, else the first.</summary>
    public FederatedCredentialRecord? Nearest(IEnumerable<FederatedCredentialRecord> candidates, Func<FederatedCredentialRecord, bool> preferred)
    {
        var list = candidates.ToList();
        return list.FirstOrDefault(preferred) ?? list.FirstOrDefault();
    }
}
