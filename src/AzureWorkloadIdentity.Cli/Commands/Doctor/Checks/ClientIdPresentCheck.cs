using AzureWorkloadIdentity.Core;

namespace AzureWorkloadIdentity.Cli.Commands.Doctor.Checks;

/// <summary>WI-SA-002: the service account carries <c>azure.workload.identity/client-id</c> (or a container sets AZURE_CLIENT_ID itself).</summary>
internal sealed class ClientIdPresentCheck : IDoctorCheck
{
    public string Code => DoctorCodes.ClientIdPresent;

    public async Task<DoctorFinding?> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await context.ServiceAccountAsync(cancellationToken).ConfigureAwait(false) is not { } account)
        {
            return null;
        }

        var name = $"{account.Metadata.NamespaceProperty}/{account.Metadata.Name}";
        if (ServiceAccountFacts.ClientId(account) is { Length: > 0 } clientId)
        {
            return DoctorFinding.Pass(Code, $"service account {name} has client-id {clientId}");
        }

        var fix = $"annotate it: kubectl annotate sa -n {account.Metadata.NamespaceProperty} {account.Metadata.Name} {WorkloadIdentityAnnotations.ClientId}=<client id of the application or managed identity>";
        var containers = context.Target.TemplateSpec?.Containers ?? [];
        return containers.Any(c => c.Env?.Any(e => e.Name == WorkloadIdentityEnvironment.ClientId) == true)
            ? DoctorFinding.Warn(Code, $"service account {name} has no {WorkloadIdentityAnnotations.ClientId}; a container sets {WorkloadIdentityEnvironment.ClientId} itself", fix)
            : DoctorFinding.Fail(Code, $"service account {name} has no annotation {WorkloadIdentityAnnotations.ClientId}: the pod gets no AZURE_CLIENT_ID", fix);
    }
}
