using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// The AAD application's display name: <c>--aad-application-name</c>, or <c>&lt;ns&gt;-&lt;name&gt;-&lt;hash of issuer&gt;</c>
/// derived once per run, so the "not specified" warning is printed once however many phases need the name.
/// </summary>
internal sealed class ApplicationNameResolver(ServiceAccountInputs inputs, IssuerResolver issuer, CliLog log)
{
    private string? _derived;

    public async Task<string> ResolveAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(inputs.ApplicationName))
        {
            return inputs.ApplicationName;
        }

        if (string.IsNullOrEmpty(inputs.ServiceAccountName) || string.IsNullOrEmpty(inputs.ServiceAccountNamespace))
        {
            throw new CliUsageException("--aad-application-name is required (or pass --service-account-name to derive it)");
        }

        if (_derived is null)
        {
            var issuerUrl = await issuer.ResolveAsync(cancellationToken).ConfigureAwait(false);
            log.Warning("--aad-application-name not specified, constructing name with service account namespace, name, and the hash of the issuer URL");
            _derived = WorkloadIdentityNames.ApplicationName(inputs.ServiceAccountNamespace, inputs.ServiceAccountName, issuerUrl);
        }

        return _derived;
    }
}
