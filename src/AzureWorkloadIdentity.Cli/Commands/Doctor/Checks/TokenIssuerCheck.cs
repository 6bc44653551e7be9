namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-ISS-002: a token the cluster mints for the service account has the issuer the cluster publishes, byte for byte.</summary>
internal sealed class TokenIssuerCheck : IDoctorCheck
{
    public string Code => DoctorCodes.TokenIssuer;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var token = await context.TokenAsync(cancellationToken).ConfigureAwait(false);
        if (token.Error is not null)
        {
            return DoctorFinding.Fail(Code, token.Error, "allow azwi to create serviceaccounts/token in the namespace (RBAC), or check the API server's logs");
        }

        var published = (await context.IssuerAsync(cancellationToken).ConfigureAwait(false)).Issuer;
        if (published is null)
        {
            return null; // WI-ISS-001 explains
        }

        return token.Issuer == published
            ? DoctorFinding.Pass(Code, $"the token's iss equals the published issuer {published}")
            : DoctorFinding.Fail(Code,
                "the token's iss differs from the issuer the cluster publishes",
                "set the API server's --service-account-issuer to the published issuer URL exactly (first value signs)",
                StringDifference.Mark("published issuer", published, "token iss", token.Issuer ?? string.Empty));
    }
}
