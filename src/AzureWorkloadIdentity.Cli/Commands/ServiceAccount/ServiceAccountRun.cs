using AzureWorkloadIdentity.Cli.Cloud;
using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli.Commands.ServiceAccount;

/// <summary>
/// The parts one create/delete run's phases share, each with one job; a value one part resolves (the issuer, a derived
/// application name) is resolved once per run.
/// </summary>
internal sealed class ServiceAccountRun : IDisposable
{
    public ServiceAccountRun(CliServices services, CliLog log, ServiceAccountInputs inputs, Func<CancellationToken, Task<AzureConnection>> connect)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
        Log = log;
        Inputs = inputs;
        Connections = new ServiceAccountConnections(services.GetEnvironmentVariable, connect);
        Issuer = new IssuerResolver(inputs, Connections, log);
        ApplicationName = new ApplicationNameResolver(inputs, Issuer, log);
        Graph = new GraphLookups(Connections, ApplicationName);
        UserAssignedIdentity = new UserAssignedIdentityLookup(inputs, Connections);
        Principal = new RoleAssignmentPrincipal(inputs, ApplicationName, Graph, UserAssignedIdentity);
    }

    public CliServices Services { get; }

    public CliLog Log { get; }

    public ServiceAccountInputs Inputs { get; }

    public ServiceAccountConnections Connections { get; }

    public IssuerResolver Issuer { get; }

    public ApplicationNameResolver ApplicationName { get; }

    public GraphLookups Graph { get; }

    public UserAssignedIdentityLookup UserAssignedIdentity { get; }

    public RoleAssignmentPrincipal Principal { get; }

    public void Dispose() => Connections.Dispose();
}
