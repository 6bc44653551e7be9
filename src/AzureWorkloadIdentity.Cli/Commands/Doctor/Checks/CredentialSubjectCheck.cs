namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-FIC-003: the credential's subject is <c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c>, byte for byte.</summary>
internal sealed class CredentialSubjectCheck : IDoctorCheck
{
    public string Code => DoctorCodes.CredentialSubject;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await CredentialFacts.ReadAsync(context, cancellationToken).ConfigureAwait(false) is not { } facts || facts.Identity.Credentials.Count == 0)
        {
            return null;
        }

        // Among the credentials with the right issuer (all of them when none has it: WI-FIC-002 reports that).
        var candidates = facts.WithIssuer.Any() ? facts.WithIssuer : facts.Identity.Credentials;
        if (candidates.FirstOrDefault(c => c.Subject == facts.Subject) is { } match)
        {
            return DoctorFinding.Pass(Code, $"federated credential {match.Name} has the subject {facts.Subject}");
        }

        var nearest = facts.Nearest(candidates, c => string.Equals(c.Subject, facts.Subject, StringComparison.OrdinalIgnoreCase))!;
        var code = string.Equals(nearest.Subject, facts.Subject, StringComparison.OrdinalIgnoreCase) ? "AADSTS7002138" : "AADSTS700213/AADSTS70021";
        return DoctorFinding.Fail(Code,
            $"no federated credential has the subject {facts.Subject}; Entra ID answers {code}",
            $"set the subject of federated credential {nearest.Name} to {facts.Subject} (namespace and service account name of the pod)",
            StringDifference.Mark("token sub", facts.Subject, $"credential {nearest.Name} subject", nearest.Subject));
    }
}
