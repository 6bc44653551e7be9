namespace AzureWorkloadIdentity.Cli.Output;

public enum CliLogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}
