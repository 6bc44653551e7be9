using AzureWorkloadIdentity.Cli.Output;

namespace AzureWorkloadIdentity.Cli;

/// <summary>
/// What commands depend on. Tests pass captured writers, their own environment variables and an HTTP handler
/// that trusts the sandbox's CA; the real process uses the console, the process environment and the system's trust.
/// </summary>
internal sealed record CliServices(CliConsole Console, TimeProvider TimeProvider)
{
    public static CliServices System { get; } = new(CliConsole.System, TimeProvider.System);

    /// <summary>Reads an environment variable (AZURE_ENVIRONMENT_FILEPATH, KUBECONFIG, HOME …).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Creates the innermost HTTP handler for Entra ID, Graph and Resource Manager; null = the default.</summary>
    public Func<HttpMessageHandler>? CreateHttpHandler { get; init; }

    /// <summary>Delay between role-assignment attempts (the principal may not have replicated yet).</summary>
    public TimeSpan RoleAssignmentRetryDelay { get; init; } = TimeSpan.FromSeconds(5);
}
