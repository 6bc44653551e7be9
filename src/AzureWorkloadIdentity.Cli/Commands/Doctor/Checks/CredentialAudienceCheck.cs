namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-FIC-004: the credential's audiences contain the token's audience (api://AzureADTokenExchange unless changed).</summary>
internal sealed class CredentialAudienceCheck : IDoctorCheck
{
    public string Code => DoctorCodes.CredentialAudience;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await CredentialFacts.ReadAsync(context, cancellationToken).ConfigureAwait(false) is not { } facts || facts.Identity.Credentials.Count == 0)
        {
            return null;
        }

        var audience = facts.Token.Audience;
        var candidates = facts.WithIssuerAndSubject.Any() ? facts.WithIssuerAndSubject
            : facts.WithIssuer.Any() ? facts.WithIssuer
            : facts.Identity.Credentials;
        if (candidates.FirstOrDefault(c => c.Audiences.Contains(audience, StringComparer.Ordinal)) is { } match)
        {
            return DoctorFinding.Pass(Code, $"federated credential {match.Name} accepts the audience {audience}");
        }

        var nearest = candidates.First();
        var closest = nearest.Audiences.FirstOrDefault() ?? string.Empty;
        return DoctorFinding.Fail(Code,
            $"federated credential {nearest.Name} has the audiences [{string.Join(", ", nearest.Audiences)}], not the token's {audience}; Entra ID answers AADSTS700212/AADSTS70021",
            $"set the credential's audiences to [\"{audience}\"]",
            StringDifference.Mark("token aud", audience, $"credential {nearest.Name} audience", closest));
    }
}
