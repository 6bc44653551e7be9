namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-FIC-002: a federated credential's issuer equals the token's iss byte for byte (trailing slash, case).</summary>
internal sealed class CredentialIssuerCheck : IDoctorCheck
{
    public string Code => DoctorCodes.CredentialIssuer;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await CredentialFacts.ReadAsync(context, cancellationToken).ConfigureAwait(false) is not { } facts)
        {
            return null;
        }

        var iss = facts.Token.Issuer!;
        if (facts.Identity.Credentials.Count == 0)
        {
            return DoctorFinding.Fail(Code,
                $"{facts.Identity.Kind} {facts.Identity.Name} has no federated credential; Entra ID answers AADSTS70021",
                $"add one with issuer {iss} and subject {facts.Subject} (azwi serviceaccount create phase federated-identity, or az identity federated-credential create)");
        }

        if (facts.WithIssuer.FirstOrDefault() is { } match)
        {
            return DoctorFinding.Pass(Code, $"federated credential {match.Name} has the token's issuer {iss}");
        }

        var nearest = facts.Nearest(facts.Identity.Credentials, c => c.Subject == facts.Subject)!;
        return DoctorFinding.Fail(Code,
            $"no federated credential of {facts.Identity.Kind} {facts.Identity.Name} has the token's issuer; Entra ID answers AADSTS700211/AADSTS70021",
            $"set the issuer of federated credential {nearest.Name} to exactly the token's iss (copy it from the line above)",
            StringDifference.Mark("token iss", iss, $"credential {nearest.Name} issuer", nearest.Issuer));
    }
}
